import { useMe } from '../../../lib/session/me.ts';
import { can, InputField, SelectField } from '../../admin-shell/public-api.ts';
import { useRoles } from '../api/roles.ts';

interface RoleSelectProps {
  label: string;
  name?: string;
  value?: string;
  defaultValue?: string;
  onChange?: (role: string) => void;
  /** Label of an empty first option ("Any"); without it a role must be chosen. */
  emptyLabel?: string;
  required?: boolean;
}

/**
 * Roles to choose from when the user may read them; otherwise (no roles:read) a plain text
 * field, since the server validates the name anyway.
 */
export function RoleSelect({ label, emptyLabel, onChange, ...field }: RoleSelectProps) {
  const me = useMe();
  const readable = can(me.data?.permissions, 'roles:read');
  const roles = useRoles({ enabled: readable });
  const change = (event: { target: { value: string } }) => onChange?.(event.target.value);
  if (!readable || roles.isError) {
    return <InputField label={label} autoComplete="off" onChange={change} {...field} />;
  }
  const names = roles.data?.map((role) => role.name) ?? [];
  const current = field.value ?? field.defaultValue;
  // Keep a value from the URL selectable while the list loads or when the role is gone.
  if (current && !names.includes(current)) names.push(current);
  return (
    <SelectField label={label} onChange={change} {...field}>
      {emptyLabel !== undefined || names.length === 0 ? (
        <option value="">{emptyLabel ?? ''}</option>
      ) : null}
      {names.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </SelectField>
  );
}

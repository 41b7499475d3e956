import { useTranslation } from 'react-i18next';
import { isPermission, permissions as known } from '@ums/contracts/permissions';

/** Every permission the service knows, plus any a role holds that this app does not know yet. */
export function allPermissions(held: readonly string[][]): string[] {
  const extra = held.flat().filter((p) => !isPermission(p));
  return [...known, ...new Set(extra)];
}

interface PermissionCheckboxesProps {
  legend: string;
  permissions: readonly string[];
  checked: ReadonlySet<string>;
  disabled?: boolean;
  onChange: (permission: string, checked: boolean) => void;
}

/** The checkbox grid: one labelled box per permission, with its translated meaning. */
export function PermissionCheckboxes(props: PermissionCheckboxesProps) {
  const { legend, permissions, checked, disabled, onChange } = props;
  const { t, i18n } = useTranslation();
  const meaning = (permission: string) => {
    const key = `admin.roles.permissionNames.${permission.replace(':', '_')}`;
    return i18n.exists(key) ? t(key as 'admin.roles.permissionNames.users_read') : permission;
  };
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
        {permissions.map((permission) => (
          <label key={permission} className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 size-4 shrink-0"
              checked={checked.has(permission)}
              disabled={disabled}
              onChange={(event) => onChange(permission, event.target.checked)}
            />
            <span>
              {meaning(permission)}{' '}
              <code className="text-xs text-slate-600 dark:text-slate-400">{permission}</code>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A set with one permission added or removed (state updates stay immutable). */
export function toggled(set: ReadonlySet<string>, permission: string, on: boolean): Set<string> {
  const copy = new Set(set);
  if (on) copy.add(permission);
  else copy.delete(permission);
  return copy;
}

import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import {
  AdminError,
  dangerButton,
  InputField,
  primaryButton,
  useFormat,
} from '../../admin-shell/public-api.ts';
import { useDeleteRole, useUpdateRole, type Role } from '../api/roles.ts';
import { PermissionCheckboxes, toggled } from './permission-checkboxes.tsx';

interface RoleEditorProps {
  role: Role;
  permissions: readonly string[];
  canManage: boolean;
  onDeleted: (name: string) => void;
}

/**
 * One role: its permission grid and description, saved together. Built-in roles keep their
 * name and cannot be deleted (the API refuses), but their permissions stay editable.
 */
export function RoleEditor({ role, permissions, canManage, onDeleted }: RoleEditorProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const update = useUpdateRole();
  const remove = useDeleteRole();
  const [granted, setGranted] = useState<ReadonlySet<string>>(new Set(role.permissions));
  const [description, setDescription] = useState(role.description);
  const [notice, setNotice] = useState('');
  const [confirming, setConfirming] = useState(false);
  // After a save (or another admin's change) the server's role replaces what the form shows.
  const version = `${role.permissions.join()}|${role.description}`;
  const [shown, setShown] = useState(version);
  if (shown !== version) {
    setShown(version);
    setGranted(new Set(role.permissions));
    setDescription(role.description);
  }

  return (
    <form
      aria-labelledby={headingId}
      className="flex flex-col gap-3 rounded-lg border border-slate-200 p-4 dark:border-slate-700"
      onSubmit={(event) => {
        event.preventDefault();
        setNotice('');
        remove.reset();
        update.mutate(
          {
            name: role.name,
            description: description.trim(),
            permissions: permissions.filter((p) => granted.has(p)),
          },
          { onSuccess: (saved) => setNotice(t('admin.roles.saved', { name: saved.name })) },
        );
      }}
    >
      <h3 id={headingId} className="text-lg font-semibold break-all">
        {role.name}
      </h3>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {t('admin.roles.userCount', { count: format.number(role.userCount) })}
        {role.isSystem ? <span className="block">{t('admin.roles.system')}</span> : null}
      </p>
      <p role="status" className="text-sm font-medium">
        {notice}
      </p>
      <AdminError error={update.error ?? remove.error} />
      <InputField
        label={t('admin.roles.description')}
        value={description}
        maxLength={500}
        readOnly={!canManage}
        onChange={(event) => setDescription(event.target.value)}
      />
      <PermissionCheckboxes
        legend={t('admin.roles.permissions')}
        permissions={permissions}
        checked={granted}
        disabled={!canManage}
        onChange={(permission, on) => setGranted((current) => toggled(current, permission, on))}
      />
      {canManage ? (
        <div className="flex flex-wrap gap-2">
          <button type="submit" className={primaryButton} disabled={update.isPending}>
            {t('admin.roles.save')}
          </button>
          {role.isSystem ? null : (
            <button
              type="button"
              className={dangerButton}
              onClick={() => {
                update.reset();
                setConfirming(true);
              }}
            >
              {t('admin.roles.delete')}
            </button>
          )}
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        destructive
        busy={remove.isPending}
        title={t('admin.roles.confirmDeleteTitle', { name: role.name })}
        confirmLabel={t('admin.roles.delete')}
        cancelLabel={t('admin.common.cancel')}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          remove.mutate(role.name, {
            onSuccess: () => onDeleted(role.name),
            onSettled: () => setConfirming(false),
          })
        }
      >
        {t('admin.roles.confirmDeleteBody')}
      </ConfirmDialog>
    </form>
  );
}

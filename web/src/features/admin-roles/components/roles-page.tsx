import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../lib/session/me.ts';
import { AdminError, AdminPage, can, RequirePermission } from '../../admin-shell/public-api.ts';
import { useRoles } from '../api/roles.ts';
import { allPermissions } from './permission-checkboxes.tsx';
import { RoleCreateForm } from './role-create-form.tsx';
import { RoleEditor } from './role-editor.tsx';

export function RolesPage() {
  const { t } = useTranslation();
  return (
    <RequirePermission permission="roles:read">
      <AdminPage title={t('admin.roles.title')}>
        <Roles />
      </AdminPage>
    </RequirePermission>
  );
}

function Roles() {
  const { t } = useTranslation();
  const canManage = can(useMe().data?.permissions, 'roles:manage');
  const roles = useRoles();
  const [notice, setNotice] = useState('');
  if (roles.isPending) return <p role="status">{t('app.loading')}</p>;
  if (roles.isError) return <AdminError error={roles.error} />;
  const permissions = allPermissions(roles.data.map((role) => role.permissions));

  return (
    <>
      {canManage ? null : <p>{t('admin.roles.readOnly')}</p>}
      <p role="status" className="text-sm font-medium">
        {notice}
      </p>
      {canManage ? <RoleCreateForm permissions={permissions} /> : null}
      <section aria-labelledby="roles-existing" className="flex flex-col gap-4">
        <h2 id="roles-existing" className="text-lg font-semibold">
          {t('admin.roles.existing')}
        </h2>
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          {roles.data.map((role) => (
            <RoleEditor
              key={role.name}
              role={role}
              permissions={permissions}
              canManage={canManage}
              onDeleted={(name) => setNotice(t('admin.roles.deleted', { name }))}
            />
          ))}
        </div>
      </section>
    </>
  );
}

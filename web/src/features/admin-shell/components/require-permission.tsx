import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Permission } from '@ums/contracts/permissions';
import { useMe } from '../../../lib/session/me.ts';
import { can } from '../admin-access.ts';
import { AdminError } from './admin-error.tsx';
import { AdminPage } from './admin-page.tsx';

/** Renders `children` only for holders of `permission`; a direct visit without it is refused. */
export function RequirePermission({
  permission,
  children,
}: {
  permission: Permission;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <p role="status">{t('app.loading')}</p>;
  if (me.isError) return <AdminError error={me.error} />;
  if (can(me.data.permissions, permission)) return children;
  return (
    <AdminPage title={t('admin.notAllowed.title')}>
      <p>{t('admin.notAllowed.body')}</p>
      <p>
        <Link to="/" className="underline">
          {t('admin.notAllowed.home')}
        </Link>
      </p>
    </AdminPage>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { meQueryOptions } from '../../../lib/session/me.ts';
import { useSession } from '../../../lib/session/use-session.ts';
import { visibleSections } from '../admin-access.ts';

/** The header's "Admin" link, present only for users who may open at least one section. */
export function AdminNavLink() {
  const { t } = useTranslation();
  const { status } = useSession();
  const me = useQuery({ ...meQueryOptions, enabled: status === 'authenticated' });
  const first = status === 'authenticated' ? visibleSections(me.data?.permissions)[0] : undefined;
  if (!first) return null;
  return (
    <NavLink
      to={first.to}
      className={({ isActive }) =>
        `text-sm underline-offset-2 hover:underline ${isActive ? 'font-semibold underline' : ''}`
      }
    >
      {t('admin.nav.link')}
    </NavLink>
  );
}

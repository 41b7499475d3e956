import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useSession } from '../lib/session/use-session.ts';

const pages = [
  { to: '/', key: 'home' },
  { to: '/profile', key: 'profile' },
  { to: '/security', key: 'security' },
  { to: '/privacy', key: 'privacy' },
] as const;

/** The signed-in user's pages; the current one is marked with aria-current="page". */
export function UserNav() {
  const { t } = useTranslation();
  const { status } = useSession();
  if (status !== 'authenticated') return null;
  return (
    <nav aria-label={t('app.mainNavigation')}>
      <ul className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        {pages.map((page) => (
          <li key={page.to}>
            <NavLink
              to={page.to}
              end={page.to === '/'}
              className={({ isActive }) =>
                isActive ? 'font-semibold underline underline-offset-4' : 'hover:underline'
              }
            >
              {t(`userNav.${page.key}`)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

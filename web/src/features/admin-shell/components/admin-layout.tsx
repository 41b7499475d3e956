import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { useMe } from '../../../lib/session/me.ts';
import { visibleSections } from '../admin-access.ts';

/** The console frame: a section menu limited to what the user may open, then the page. */
export function AdminLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const sections = visibleSections(me.data?.permissions);
  return (
    <div className="flex flex-col gap-6">
      {sections.length > 0 ? (
        <nav aria-label={t('admin.nav.label')} className="mx-auto w-full max-w-6xl">
          <ul className="flex flex-wrap gap-2 border-b border-slate-200 pb-3 dark:border-slate-700">
            {sections.map((section) => (
              <li key={section.to}>
                <NavLink
                  to={section.to}
                  end
                  className={({ isActive }) =>
                    `block rounded px-3 py-1.5 text-sm ${
                      isActive
                        ? 'bg-blue-700 font-medium text-white dark:bg-blue-400 dark:text-slate-950'
                        : 'underline-offset-2 hover:underline'
                    }`
                  }
                >
                  {t(section.labelKey)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <Outlet />
    </div>
  );
}

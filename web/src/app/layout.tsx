import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { AdminNavLink } from '../features/admin-shell/components/admin-nav-link.tsx';
import { LanguageSwitcher } from '../features/preferences/components/language-switcher.tsx';
import { PreferencesSync } from '../features/preferences/components/preferences-sync.tsx';
import { ThemeSwitcher } from '../features/preferences/components/theme-switcher.tsx';
import { SessionMenu } from '../features/session/components/session-menu.tsx';
import { UserNav } from './user-nav.tsx';

export function Layout() {
  const { t } = useTranslation();
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:rounded focus:bg-white focus:p-2 focus:text-slate-900"
      >
        {t('app.skipToContent')}
      </a>
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3 dark:border-slate-700">
        <Link to="/" className="text-lg font-semibold">
          {t('app.name')}
        </Link>
        <UserNav />
        <div className="flex flex-wrap items-center gap-4">
          <AdminNavLink />
          <LanguageSwitcher />
          <ThemeSwitcher />
          <SessionMenu />
        </div>
      </header>
      <PreferencesSync />
      <main id="main" tabIndex={-1} className="px-4 py-8">
        <Outlet />
      </main>
    </div>
  );
}

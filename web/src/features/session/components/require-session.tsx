import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../../../lib/session/use-session.ts';
import { signInPath } from '../return-to.ts';
import { session } from '../../../lib/session/session-manager.ts';

/** Guards private routes: restores the session from the cookie, else goes to sign-in. */
export function RequireSession() {
  const { t } = useTranslation();
  const { status, offline } = useSession();
  const location = useLocation();

  useEffect(() => {
    if (status === 'unknown') void session.restore();
  }, [status]);

  // A refresh that could not reach the server keeps the session: say so, and keep the page.
  const offlineNotice = offline ? (
    <p
      role="status"
      className="bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
    >
      {t('app.offline')}
    </p>
  ) : null;
  if (status === 'authenticated') {
    return (
      <>
        {offlineNotice}
        <Outlet />
      </>
    );
  }
  if (status === 'unknown') {
    return (
      offlineNotice ?? (
        <p role="status" className="p-6">
          {t('app.loading')}
        </p>
      )
    );
  }
  const here = `${location.pathname}${location.search}`;
  return <Navigate replace to={signInPath(here, status === 'expired')} />;
}

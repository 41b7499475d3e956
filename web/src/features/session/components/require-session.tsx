import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../../../lib/session/use-session.ts';
import { signInPath } from '../return-to.ts';
import { session } from '../../../lib/session/session-manager.ts';

/** Guards private routes: restores the session from the cookie, else goes to sign-in. */
export function RequireSession() {
  const { t } = useTranslation();
  const { status } = useSession();
  const location = useLocation();

  useEffect(() => {
    if (status === 'unknown') void session.restore();
  }, [status]);

  if (status === 'authenticated') return <Outlet />;
  if (status === 'unknown') {
    return (
      <p role="status" className="p-6">
        {t('app.loading')}
      </p>
    );
  }
  const here = `${location.pathname}${location.search}`;
  return <Navigate replace to={signInPath(here, status === 'expired')} />;
}

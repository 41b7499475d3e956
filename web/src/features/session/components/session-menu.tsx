import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useLogout } from '../api/logout.ts';
import { useSession } from '../../../lib/session/use-session.ts';

export function SessionMenu() {
  const { t } = useTranslation();
  const { status, user } = useSession();
  const logout = useLogout();
  const navigate = useNavigate();

  if (status !== 'authenticated') {
    return (
      <Link to="/login" className="text-sm underline">
        {t('session.signIn')}
      </Link>
    );
  }
  return (
    <div className="flex items-center gap-2">
      <span className="text-sm">{user?.email}</span>
      <button
        type="button"
        className="rounded border border-slate-400 px-2 py-1 text-sm dark:border-slate-500"
        onClick={() =>
          logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) })
        }
      >
        {t('session.signOut')}
      </button>
    </div>
  );
}

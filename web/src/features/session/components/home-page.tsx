import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormError } from '../../../components/form-error.tsx';
import { PageCard } from '../../../components/page-card.tsx';
import { useMe } from '../../../lib/session/me.ts';

export function HomePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  if (me.isPending) return <p role="status">{t('app.loading')}</p>;
  if (me.isError) return <FormError error={me.error} />;

  const user = me.data;
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;
  const since = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long' }).format(
    new Date(user.createdAt),
  );
  return (
    <PageCard title={t('session.homeTitle', { name })}>
      <ul className="flex flex-col gap-1">
        <li>{t('session.homeEmail', { email: user.email })}</li>
        <li>{t('session.homeRole', { role: user.role })}</li>
        <li>{user.emailVerified ? t('session.homeVerified') : t('session.homeNotVerified')}</li>
        <li>{user.mfaEnabled ? t('session.homeMfaOn') : t('session.homeMfaOff')}</li>
        <li>{t('session.memberSince', { date: since })}</li>
      </ul>
      <h2 className="mt-6 mb-2 text-lg font-semibold">{t('userNav.pagesLabel')}</h2>
      <ul className="flex flex-col gap-1">
        {(['profile', 'preferences', 'security', 'privacy'] as const).map((page) => (
          <li key={page}>
            <Link className="underline" to={`/${page}`}>
              {t(`userNav.${page}`)}
            </Link>
          </li>
        ))}
      </ul>
    </PageCard>
  );
}

import { useTranslation } from 'react-i18next';
import { PageHeading, PageSection } from '../../../components/page-heading.tsx';
import { useSession } from '../../../lib/session/use-session.ts';
import { ChangePasswordForm } from './change-password-form.tsx';
import { SessionsSection } from './sessions-section.tsx';
import { TotpSection } from './totp-section.tsx';

export function SecurityPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-6">
      <PageHeading>{t('security.title')}</PageHeading>
      <PageSection id="password" title={t('security.password.title')}>
        <ChangePasswordForm email={user?.email ?? ''} />
      </PageSection>
      <PageSection id="totp" title={t('security.totp.title')}>
        <TotpSection />
      </PageSection>
      <PageSection id="sessions" title={t('security.sessions.title')}>
        <SessionsSection />
      </PageSection>
    </div>
  );
}

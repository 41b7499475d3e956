import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormError } from '../../../components/form-error.tsx';
import { PageHeading, PageSection } from '../../../components/page-heading.tsx';
import { useOwnProfile } from '../../../lib/profile/own-profile.ts';
import { AvatarSection } from './avatar-section.tsx';
import { ProfileForm } from './profile-form.tsx';

export function ProfilePage() {
  const { t } = useTranslation();
  const profile = useOwnProfile();
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-6">
      <PageHeading>{t('profile.title')}</PageHeading>
      {profile.isPending ? <p role="status">{t('app.loading')}</p> : null}
      {profile.isError ? <FormError error={profile.error} /> : null}
      {profile.data ? (
        <>
          <PageSection id="avatar" title={t('profile.avatar.title')}>
            <AvatarSection avatarUrl={profile.data.avatarUrl} />
          </PageSection>
          <PageSection id="details" title={t('profile.detailsTitle')}>
            <ProfileForm profile={profile.data} />
          </PageSection>
          <p className="text-sm">
            <Link className="underline" to="/preferences">
              {t('profile.preferencesLink')}
            </Link>
          </p>
        </>
      ) : null}
    </div>
  );
}

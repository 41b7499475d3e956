import { useTranslation } from 'react-i18next';
import { FormError } from '../../../components/form-error.tsx';
import { PageHeading } from '../../../components/page-heading.tsx';
import { useOwnProfile } from '../../../lib/profile/own-profile.ts';
import { PreferencesForm } from './preferences-form.tsx';

export function PreferencesPage() {
  const { t } = useTranslation();
  const profile = useOwnProfile();
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-6">
      <PageHeading>{t('preferencesPage.title')}</PageHeading>
      {profile.isPending ? <p role="status">{t('app.loading')}</p> : null}
      {profile.isError ? <FormError error={profile.error} /> : null}
      {profile.data ? <PreferencesForm saved={profile.data.preferences} /> : null}
    </div>
  );
}

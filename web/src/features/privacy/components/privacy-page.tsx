import { useTranslation } from 'react-i18next';
import { primaryButton } from '../../../components/button-styles.ts';
import { FormError } from '../../../components/form-error.tsx';
import { PageHeading, PageSection } from '../../../components/page-heading.tsx';
import { useDownloadMyData } from '../api/export-data.ts';
import { DeleteAccount } from './delete-account.tsx';

export function PrivacyPage() {
  const { t } = useTranslation();
  const download = useDownloadMyData();
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-6">
      <PageHeading>{t('privacy.title')}</PageHeading>
      <PageSection id="export" title={t('privacy.export.title')}>
        <p className="text-sm">{t('privacy.export.help')}</p>
        <FormError error={download.error} />
        <div>
          <button
            type="button"
            className={primaryButton}
            disabled={download.isPending}
            aria-busy={download.isPending}
            onClick={() => download.mutate()}
          >
            {download.isPending ? t('privacy.export.preparing') : t('privacy.export.download')}
          </button>
        </div>
        <p role="status" className="text-sm">
          {download.isSuccess ? t('privacy.export.done') : ''}
        </p>
      </PageSection>
      <PageSection id="delete" title={t('privacy.delete.title')}>
        <DeleteAccount />
      </PageSection>
    </div>
  );
}

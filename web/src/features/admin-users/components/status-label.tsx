import { isAccountStatus } from '@ums/contracts/profile';
import { useTranslation } from 'react-i18next';

/** A translated account status; an unknown or missing one is shown as a dash. */
export function StatusLabel({ status }: { status: string | null | undefined }) {
  const { t } = useTranslation();
  return <>{isAccountStatus(status) ? t(`admin.status.${status}`) : '—'}</>;
}

import { useTranslation } from 'react-i18next';

export const accountStatuses = ['active', 'inactive', 'suspended'] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export function isAccountStatus(value: unknown): value is AccountStatus {
  return typeof value === 'string' && (accountStatuses as readonly string[]).includes(value);
}

/** A translated account status; an unknown or missing one is shown as a dash. */
export function StatusLabel({ status }: { status: string | null | undefined }) {
  const { t } = useTranslation();
  return <>{isAccountStatus(status) ? t(`admin.status.${status}`) : '—'}</>;
}

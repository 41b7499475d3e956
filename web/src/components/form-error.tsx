import { useTranslation } from 'react-i18next';
import { errorMessageKey } from '../i18n/error-message.ts';

/** A server error, announced to screen readers, translated from its problem+json code. */
export function FormError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p
      role="alert"
      className="rounded bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {t(errorMessageKey(error))}
    </p>
  );
}

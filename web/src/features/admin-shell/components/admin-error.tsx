import { useTranslation } from 'react-i18next';
import { adminErrorKey } from '../admin-errors.ts';

/** A failed admin request, announced, translated from its code (or its status for a 403). */
export function AdminError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p
      role="alert"
      className="my-3 rounded bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {t(adminErrorKey(error))}
    </p>
  );
}

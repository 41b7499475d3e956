import { errorMessageKey } from '../../i18n/error-message.ts';
import { ApiError } from '../../lib/http.ts';

export type AdminErrorKey =
  | ReturnType<typeof errorMessageKey>
  | 'admin.errors.forbidden'
  | 'admin.errors.notFound'
  | 'admin.errors.unavailable';

/**
 * The message for a failed admin call: the server's own code when the app knows it, otherwise
 * by status, so a 403 always reads "not allowed" even for codes added to the server later.
 */
export function adminErrorKey(error: unknown): AdminErrorKey {
  const key = errorMessageKey(error);
  if (key !== 'errors.generic.unknown' || !(error instanceof ApiError)) return key;
  if (error.status === 403) return 'admin.errors.forbidden';
  if (error.status === 404) return 'admin.errors.notFound';
  if (error.status === 503) return 'admin.errors.unavailable';
  return key;
}

/** The message for a per-row result code of a bulk action. */
export function resultCodeKey(code: string): AdminErrorKey {
  return adminErrorKey(new ApiError(code === 'auth.forbidden' ? 403 : 400, code));
}

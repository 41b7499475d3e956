import { ApiError } from '../lib/http.ts';
import { en } from './locales/en.ts';

type ErrorTree = typeof en.errors;
export type ErrorCode = {
  [G in keyof ErrorTree]: `${G}.${keyof ErrorTree[G] & string}`;
}[keyof ErrorTree];

export function isKnownErrorCode(code: string): code is ErrorCode {
  const [group, name, ...rest] = code.split('.');
  if (!group || !name || rest.length > 0 || !Object.hasOwn(en.errors, group)) return false;
  return Object.hasOwn(en.errors[group as keyof ErrorTree], name);
}

/** The i18n key for a server error (its stable problem+json `code`), or the generic one. */
export function errorMessageKey(error: unknown): `errors.${ErrorCode}` {
  if (error instanceof ApiError && isKnownErrorCode(error.code)) return `errors.${error.code}`;
  return 'errors.generic.unknown';
}

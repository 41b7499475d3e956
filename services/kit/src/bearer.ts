import { AppError } from './errors.ts';

/** The challenge every 401 carries when nothing more specific applies (RFC 9110 11.6.1). */
export const DEFAULT_CHALLENGE = 'Bearer';

/** RFC 6750 section 3 error codes a resource server sends with its challenge. */
export type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** A quoted-string as RFC 9110 5.6.4 spells it (only printable ASCII is kept). */
function quoted(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '');
  return `"${printable.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** `Bearer`, or `Bearer error="...", error_description="..."` when the token was at fault. */
export function bearerChallenge(error?: { code: BearerError; description?: string }): string {
  if (!error) return DEFAULT_CHALLENGE;
  const params = [`error=${quoted(error.code)}`];
  if (error.description) params.push(`error_description=${quoted(error.description)}`);
  return `${DEFAULT_CHALLENGE} ${params.join(', ')}`;
}

/**
 * No access token at all: a plain `Bearer` challenge, without an error code, as RFC 6750 3.1
 * asks for a request that carried no authentication.
 */
export function accessTokenRequired(): AppError {
  return new AppError({
    code: 'auth.invalid_token',
    status: 401,
    detail: 'A valid access token is required.',
    headers: { 'WWW-Authenticate': bearerChallenge() },
  });
}

/** The access token was sent and refused (forged, expired, wrong audience, its session ended). */
export function invalidAccessToken(detail = 'A valid access token is required.'): AppError {
  return new AppError({
    code: 'auth.invalid_token',
    status: 401,
    detail,
    headers: {
      'WWW-Authenticate': bearerChallenge({ code: 'invalid_token', description: detail }),
    },
  });
}

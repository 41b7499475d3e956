import { z } from 'zod';
import { ConfigError } from '@ums/service-kit/config';
import { badRequest } from '@ums/service-kit/errors';

/** OIDC settings: the providers (OIDC_PROVIDERS) and where a sign-in may return to. */

const providerSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1-40 of a-z, 0-9, _ and -'),
    name: z.string().min(1).max(100),
    issuer: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    scopes: z
      .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/))
      .default(['openid', 'email', 'profile']),
    tokenEndpointAuthMethod: z
      .enum(['client_secret_basic', 'client_secret_post'])
      .default('client_secret_basic'),
  })
  .strict();

export type OidcProviderConfig = z.output<typeof providerSchema>;

const configError = (problem: string) => new ConfigError([`OIDC_PROVIDERS: ${problem}`]);

/** Parses OIDC_PROVIDERS at start-up; a ConfigError names the problem, never a value. */
export function parseOidcProviders(
  raw: string,
  options: { production: boolean },
): OidcProviderConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw configError(
      'must be a JSON array of { id, name, issuer, clientId, clientSecret, scopes? }',
    );
  }
  const result = z.array(providerSchema).safeParse(json);
  if (!result.success) {
    const where = (path: readonly PropertyKey[]) =>
      path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new ConfigError(
      result.error.issues.map((i) => `OIDC_PROVIDERS${where(i.path)}: ${i.message}`),
    );
  }
  const providers = result.data.map((p) => ({
    ...p,
    scopes: p.scopes.includes('openid') ? p.scopes : ['openid', ...p.scopes],
  }));
  const ids = providers.map((p) => p.id);
  if (new Set(ids).size !== ids.length) throw configError('provider ids must be unique');
  if (options.production && providers.some((p) => new URL(p.issuer).protocol !== 'https:')) {
    throw configError('issuers must use https in production');
  }
  return providers;
}

/**
 * Where the browser may be sent after sign-in: a path on PUBLIC_BASE_URL's origin, any address
 * on that origin, or an address under a RETURN_TO_ALLOWLIST entry (an origin, or an origin and
 * path prefix). Anything else is an open redirect and refused.
 */
export function resolveReturnTo(
  value: string | undefined,
  policy: { publicBaseUrl: string; allowlist: readonly string[] },
): string {
  const base = new URL(policy.publicBaseUrl);
  if (value === undefined || value === '') return base.href;
  const refused = () =>
    badRequest(
      'auth.oidc_invalid_return_to',
      'returnTo must be a path on this site or an allowed address.',
    );
  // Backslashes become slashes in browsers ("/\evil" is "//evil"); fragments are ours to set.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (value.length > 2048 || /[\u0000-\u001f\u007f\\#]/.test(value)) throw refused();
  if (value.startsWith('//')) throw refused();
  let url: URL;
  try {
    url = value.startsWith('/') ? new URL(value, base) : new URL(value);
  } catch {
    throw refused();
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password)
    throw refused();
  if (url.origin === base.origin) return url.href;
  for (const entry of policy.allowlist) {
    let allowed: URL;
    try {
      allowed = new URL(entry);
    } catch {
      continue;
    }
    const prefix = allowed.pathname;
    const underPrefix =
      prefix === '/' ||
      url.pathname === prefix ||
      url.pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
    if (allowed.origin === url.origin && underPrefix) return url.href;
  }
  throw refused();
}

import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AuthConfig } from '../config.ts';
import type { Container } from '../container.ts';
import { LOGIN_STATE_TTL_SECONDS, type OidcOutcome } from '../domain/oidc.ts';
import { AppError } from '@ums/service-kit/errors';
import { defineRoute, type RouteDef } from '@ums/service-kit/route-table';
import { setRefreshCookie } from './token-response.ts';

const tags = ['OIDC'];
const providerParams = z.object({ provider: z.string().max(64) }).strict();
const problem = (description: string) => ({ description });

/**
 * Binds the authorization to the browser that started it (RFC 9700 4.7): the callback must come
 * with this cookie holding the same state. SameSite=Lax, because the callback is a top-level
 * navigation coming back from the provider's site.
 */
function stateCookieName(config: Pick<AuthConfig, 'COOKIE_SECURE'>): string {
  return config.COOKIE_SECURE ? '__Host-ums_oidc_state' : 'ums_oidc_state';
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

const stateCookieOptions = (config: AuthConfig) =>
  ({ httpOnly: true, secure: config.COOKIE_SECURE, sameSite: 'lax', path: '/' }) as const;

/**
 * The mfaToken of a sign-in that still needs its second factor. Not HttpOnly: the web app reads
 * it once, deletes it and posts it to login/mfa with the code. A cookie rather than the URL keeps
 * it out of access logs (which record Location headers), browser history and Referer headers.
 */
export function mfaCookieName(config: Pick<AuthConfig, 'COOKIE_SECURE'>): string {
  return config.COOKIE_SECURE ? '__Host-ums_oidc_mfa' : 'ums_oidc_mfa';
}

/** Where the browser goes after the callback; sets the refresh cookie or the mfaToken cookie. */
function destination(outcome: OidcOutcome, res: Response, config: AuthConfig): string {
  if (outcome.kind === 'session') {
    setRefreshCookie(res, outcome.pair.refreshToken, config);
    return outcome.returnTo;
  }
  res.cookie(mfaCookieName(config), outcome.mfaToken, {
    httpOnly: false,
    secure: config.COOKIE_SECURE,
    sameSite: 'strict',
    path: '/',
    maxAge: config.MFA_TOKEN_TTL * 1000,
  });
  const url = new URL(outcome.returnTo);
  url.hash = 'mfaRequired=true';
  return url.href;
}

/**
 * A person coming back from the provider in a browser should land on the app's sign-in page with
 * the reason (translated there), not on a JSON document; API clients keep the problem+json.
 */
function wantsPage(req: Request): boolean {
  return req.accepts(['application/json', 'application/problem+json', 'text/html']) === 'text/html';
}

function signInPageWithError(config: AuthConfig, code: string): string {
  const url = new URL('/login', config.PUBLIC_BASE_URL);
  url.searchParams.set('error', code);
  return url.href;
}

/** Sign-in through external OpenID Connect providers (docs/oidc.md). */
export function oidcRoutes({ oidc, config }: Pick<Container, 'oidc' | 'config'>): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/auth/oidc/providers',
      summary: 'List the external sign-in providers',
      tags,
      access: { kind: 'public' },
      responses: {
        200: {
          description: 'Providers',
          schema: z.array(z.object({ id: z.string(), name: z.string() })),
        },
      },
      handler: async () => ({ body: oidc.providers() }),
    }),

    defineRoute({
      method: 'get',
      path: '/api/v1/auth/oidc/:provider/authorize',
      summary:
        'Start a sign-in at an external provider (authorization code + PKCE S256, state, nonce)',
      tags,
      access: { kind: 'public' },
      params: providerParams,
      query: z.object({ returnTo: z.string().max(2048).optional() }).strict(),
      responses: {
        302: { description: "Redirect to the provider's authorization endpoint" },
        400: problem('auth.oidc_invalid_return_to: returnTo is not an allowed place'),
        404: problem('auth.oidc_unknown_provider'),
        503: problem('auth.oidc_provider_unavailable'),
      },
      handler: async ({ params, query, res }) => {
        const { url, state } = await oidc.startAuthorization(params.provider, query.returnTo);
        res.cookie(stateCookieName(config), state, {
          ...stateCookieOptions(config),
          maxAge: LOGIN_STATE_TTL_SECONDS * 1000,
        });
        res.setHeader('Cache-Control', 'no-store');
        res.redirect(302, url);
        return undefined;
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/v1/auth/oidc/:provider/callback',
      summary:
        'Finish a sign-in at an external provider; sets the refresh cookie and redirects to returnTo',
      tags,
      access: { kind: 'public' },
      params: providerParams,
      // Providers may add parameters (iss, session_state, ...): declared ones are typed, others pass.
      query: z.looseObject({
        code: z.string().max(4096).optional(),
        state: z.string().max(512).optional(),
        iss: z.string().max(2048).optional(),
        error: z.string().max(256).optional(),
      }),
      responses: {
        302: {
          description:
            'Signed in (refresh cookie set), MFA required (#mfaRequired=true, mfaToken cookie set), or, for a browser (Accept: text/html), a refusal: the sign-in page with ?error=<code>',
        },
        400: problem('auth.oidc_invalid_state: unknown, expired, replayed or missing state'),
        401: problem('auth.oidc_failed: the code exchange or the ID token failed verification'),
        403: problem(
          'auth.oidc_email_unverified, auth.oidc_email_missing, auth.oidc_account_unverified, auth.oidc_account_disabled',
        ),
        404: problem('auth.oidc_unknown_provider'),
        503: problem('auth.oidc_provider_unavailable'),
      },
      handler: async ({ params, ctx, req, res }) => {
        const boundState = readCookie(req, stateCookieName(config));
        res.clearCookie(stateCookieName(config), stateCookieOptions(config));
        const search = new URL(req.originalUrl, 'http://callback.invalid').searchParams;
        res.setHeader('Cache-Control', 'no-store');
        let outcome: OidcOutcome;
        try {
          outcome = await oidc.completeAuthorization(
            params.provider,
            { params: search, boundState },
            ctx,
          );
        } catch (error) {
          if (!(error instanceof AppError) || error.status >= 500 || !wantsPage(req)) throw error;
          res.redirect(302, signInPageWithError(config, error.code));
          return undefined;
        }
        res.redirect(302, destination(outcome, res, config));
        return undefined;
      },
    }),
  ];
}

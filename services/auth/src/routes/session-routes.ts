import type { Request } from 'express';
import { z } from 'zod';
import { forbidden, notFound, unauthorized, type AppError } from '@ums/service-kit/errors';
import type { AuthConfig } from '../config.ts';
import type { Container } from '../container.ts';
import { sessionOfRefreshToken } from '../domain/refresh.ts';
import { endAllSessions, endSession, listSessions, type Actor } from '../domain/session-list.ts';
import {
  defineRoute,
  type Principal,
  type RequestContext,
  type RouteDef,
} from '@ums/service-kit/route-table';
import {
  clearRefreshCookie,
  readRefreshCookie,
  tokenResponse,
  tokenResponseSchema,
} from './token-response.ts';

// Optional as a whole: the web app refreshes with the cookie and an empty body. API clients send
// the token they were given in the body and get the next one there.
const refreshTokenBody = z
  .object({
    refreshToken: z.string().min(1).max(512).optional().describe('Omit to use the refresh cookie'),
  })
  .strict()
  .optional();

const sessionSchema = z.object({
  id: z.uuid().describe('Session id (the access token `sid`)'),
  device: z.string().nullable(),
  userAgent: z.string().nullable(),
  ipAddress: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  current: z.boolean().describe('The session of the access token making this request'),
});

interface PresentedToken {
  token: string;
  fromCookie: boolean;
}

/** The JSON body wins (API clients); otherwise the web app's cookie. */
function presentedRefreshToken(
  body: z.output<typeof refreshTokenBody>,
  req: Request,
  config: AuthConfig,
): PresentedToken | undefined {
  if (body?.refreshToken) return { token: body.refreshToken, fromCookie: false };
  const cookie = readRefreshCookie(req, config);
  return cookie ? { token: cookie, fromCookie: true } : undefined;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * Cookies ride along on cross-site requests whatever the page wants, so a cookie may only be spent
 * by our own pages: the Origin must be ours, or, when a browser sends none, Sec-Fetch-Site must say
 * the request is not cross-site. SameSite=Strict already stops this; this holds if it ever fails.
 */
function sameSiteGuard(config: AuthConfig): (req: Request) => void {
  const allowed = new Set(
    [config.PUBLIC_BASE_URL, ...config.CORS_ORIGINS].map(originOf).filter((o) => o !== undefined),
  );
  return (req) => {
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    const ok =
      origin !== undefined ? allowed.has(origin) : site === 'same-origin' || site === 'none';
    if (!ok)
      throw forbidden(
        'auth.cross_site_request',
        'The refresh cookie is only accepted from this application.',
      );
  };
}

const actorOf = (userId: string, ctx: RequestContext): Actor => ({
  userId,
  requestId: ctx.requestId,
  ip: ctx.ip,
});

/**
 * Refresh (rotation with reuse detection), logout, logout-all and the caller's session list.
 * Also keeps the active-sessions gauge current through a background task.
 */
export function sessionRoutes({
  rotation,
  access,
  config,
  db,
  logger,
}: Pick<Container, 'rotation' | 'access' | 'config' | 'db' | 'logger'>): RouteDef[] {
  const requireSameSite = sameSiteGuard(config);

  /** The caller's bearer principal, or the 401/503 to give when there is no other credential. */
  async function optionalPrincipal(
    req: Request,
  ): Promise<{ principal?: Principal; failure?: AppError }> {
    if (!req.get('authorization')) return {};
    try {
      return { principal: await access.authenticate(req) };
    } catch (error) {
      return { failure: error as AppError };
    }
  }

  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/refresh',
      summary:
        'Exchange a refresh token (body or cookie) for a new pair; the old one stops working',
      tags: ['sessions'],
      access: { kind: 'public' },
      body: refreshTokenBody,
      responses: {
        200: {
          description:
            'New tokens. A refresh token sent in the body comes back in the body (no cookie); one sent as the cookie comes back as the cookie only',
          schema: tokenResponseSchema,
        },
        401: {
          description:
            'Missing, unknown, used, revoked or expired refresh token (a used one ends its session)',
        },
        403: { description: 'Cookie presented by a cross-site request' },
      },
      handler: async ({ body, ctx, req, res }) => {
        const presented = presentedRefreshToken(body, req, config);
        if (!presented)
          throw unauthorized('auth.refresh_token_required', 'A refresh token is required.');
        if (presented.fromCookie) requireSameSite(req);
        const outcome = await rotation.rotate(presented.token, ctx);
        if (!outcome.ok) {
          logger.info({ requestId: ctx.requestId, reason: outcome.reason }, 'refresh refused');
          if (presented.fromCookie) clearRefreshCookie(res, config);
          throw unauthorized(
            'auth.invalid_refresh_token',
            'The refresh token is invalid, expired or revoked.',
          );
        }
        // The new token goes back the way the old one came: a page's script never sees one.
        const delivery = presented.fromCookie ? 'cookie' : 'body';
        return { body: tokenResponse(res, outcome.pair, outcome.user, config, delivery) };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/v1/auth/logout',
      summary:
        'End this session (identified by the access token, or by the refresh token or cookie)',
      tags: ['sessions'],
      // Public in the table: an expired access token must not stop the web app from signing out
      // with its cookie. A bearer token, when sent and valid, decides which session ends.
      access: { kind: 'public' },
      body: refreshTokenBody,
      responses: {
        204: { description: 'Session ended (or already gone); the refresh cookie is cleared' },
        401: {
          description:
            'auth.credentials_required: neither an access token nor a refresh token; or the access token sent is invalid and no refresh token came with it',
        },
        403: {
          description: 'auth.cross_site_request: the refresh cookie came with a cross-site request',
        },
      },
      handler: async ({ body, ctx, req, res }) => {
        const { principal, failure } = await optionalPrincipal(req);
        let target = principal && { userId: principal.userId, sessionId: principal.sessionId };
        if (!target) {
          const presented = presentedRefreshToken(body, req, config);
          if (!presented)
            throw (
              failure ??
              unauthorized(
                'auth.credentials_required',
                'An access token or a refresh token is required.',
              )
            );
          if (presented.fromCookie) requireSameSite(req);
          target = await sessionOfRefreshToken(db, presented.token);
        }
        if (target) await endSession(db, actorOf(target.userId, ctx), target.sessionId, 'logout');
        clearRefreshCookie(res, config);
        return { status: 204 };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/v1/auth/logout-all',
      summary: 'End every session of the caller, this one included',
      tags: ['sessions'],
      access: { kind: 'authenticated' },
      responses: { 204: { description: 'All sessions ended; the refresh cookie is cleared' } },
      handler: async ({ ctx, principal, res }) => {
        await endAllSessions(db, actorOf(principal.userId, ctx));
        clearRefreshCookie(res, config);
        return { status: 204 };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/v1/auth/sessions',
      summary: "The caller's live sessions, newest first",
      tags: ['sessions'],
      access: { kind: 'authenticated' },
      responses: { 200: { description: 'Live sessions', schema: z.array(sessionSchema) } },
      handler: async ({ principal, res }) => {
        const caller = principal;
        const sessions = await listSessions(db, caller.userId);
        res.setHeader('Cache-Control', 'no-store');
        return { body: sessions.map((s) => ({ ...s, current: s.id === caller.sessionId })) };
      },
    }),

    defineRoute({
      method: 'delete',
      path: '/api/v1/auth/sessions/:id',
      summary: 'End one of the caller’s sessions',
      tags: ['sessions'],
      access: { kind: 'authenticated' },
      params: z.object({ id: z.uuid() }),
      responses: {
        204: { description: 'Session ended' },
        404: {
          description:
            'No such live session of the caller (other users’ sessions are never revealed)',
        },
      },
      handler: async ({ params, ctx, principal, res }) => {
        const caller = principal;
        const ended = await endSession(
          db,
          actorOf(caller.userId, ctx),
          params.id,
          'session_revoked',
        );
        if (!ended) throw notFound('auth.session_not_found', 'No such session.');
        if (params.id === caller.sessionId) clearRefreshCookie(res, config);
        return { status: 204 };
      },
    }),
  ];
}

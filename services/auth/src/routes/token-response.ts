import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AuthConfig } from '../config.ts';
import type { UserRecord } from '../data/users-repository.ts';
import { publicUser } from '../data/users-repository.ts';
import type { TokenPair } from '../domain/sessions.ts';

/**
 * The refresh cookie. `__Host-` (Secure, Path=/, no Domain) wherever the service is served over
 * HTTPS; plain-http local development (COOKIE_SECURE=false) cannot use the prefix.
 */
export function refreshCookieName(config: Pick<AuthConfig, 'COOKIE_SECURE'>): string {
  return config.COOKIE_SECURE ? '__Host-ums_refresh' : 'ums_refresh';
}

export function setRefreshCookie(res: Response, token: string, config: AuthConfig): void {
  res.cookie(refreshCookieName(config), token, {
    httpOnly: true,
    secure: config.COOKIE_SECURE,
    sameSite: 'strict',
    path: '/',
    maxAge: config.REFRESH_ABSOLUTE_TTL * 1000,
  });
}

export function clearRefreshCookie(res: Response, config: AuthConfig): void {
  res.clearCookie(refreshCookieName(config), {
    httpOnly: true,
    secure: config.COOKIE_SECURE,
    sameSite: 'strict',
    path: '/',
  });
}

/** Reads the refresh cookie without a cookie-parser dependency. */
export function readRefreshCookie(req: Request, config: AuthConfig): string | undefined {
  const name = refreshCookieName(config);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      // Not something we set (ours is base64url): treat it as no cookie rather than a 500.
      return undefined;
    }
  }
  return undefined;
}

export const userSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  role: z.string(),
  status: z.enum(['active', 'inactive', 'suspended']),
  emailVerified: z.boolean(),
  mfaEnabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

/**
 * Where a new refresh token goes. `cookie` (the default, the web app): only the HttpOnly cookie,
 * so no script on the page can read it. `body`: only the JSON body and no cookie, for API
 * clients (mobile, CLI, server-to-server) that hold their tokens themselves and ask for it.
 */
export type RefreshTokenDelivery = 'cookie' | 'body';

/** The request field of login and login/mfa that chooses the delivery. */
export const refreshTokenDeliveryField = z
  .enum(['cookie', 'body'])
  .default('cookie')
  .describe(
    'Where the refresh token goes: `cookie` (default; HttpOnly cookie only, never readable by scripts) or `body` (JSON body only, no cookie; for clients that are not browsers)',
  );

export const tokenResponseSchema = z.object({
  accessToken: z.string(),
  refreshToken: z
    .string()
    .optional()
    .describe('Only when the refresh token is delivered in the body (see refreshTokenDelivery)'),
  expiresIn: z.number().int().describe('Access token lifetime in seconds'),
  tokenType: z.literal('Bearer'),
  user: userSchema,
});

/**
 * Body of every response that completes a sign-in or a refresh. The refresh token goes one way
 * only: the cookie (web app) or, when the client asked for it, the body.
 */
export function tokenResponse(
  res: Response,
  pair: TokenPair,
  user: UserRecord,
  config: AuthConfig,
  delivery: RefreshTokenDelivery,
) {
  if (delivery === 'cookie') setRefreshCookie(res, pair.refreshToken, config);
  res.setHeader('Cache-Control', 'no-store');
  return {
    accessToken: pair.accessToken,
    ...(delivery === 'body' ? { refreshToken: pair.refreshToken } : {}),
    expiresIn: pair.expiresIn,
    tokenType: pair.tokenType,
    user: publicUser(user),
  };
}

import type { Request } from 'express';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { clientAddressOf } from '@ums/service-kit/client-address';
import { accessTokenRequired, invalidAccessToken } from '@ums/service-kit/bearer';
import { serviceUnavailable } from '@ums/service-kit/errors';
import type { AccessControl, Principal } from '@ums/service-kit/route-table';
import type { SessionRevocations } from '@ums/service-kit/session-revocations';

export const ACCESS_TOKEN_TYP = 'at+jwt';
/** User ids become storage keys and cache keys: only this alphabet is accepted in `sub`. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface AccessControlOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  trustedProxies: readonly string[];
  /** Ended sessions (written by the auth service): their tokens are refused before their `exp`. */
  revocations: Pick<SessionRevocations, 'assertLive'>;
  cooldownMs: number;
  cacheMaxAgeMs: number;
  timeoutMs: number;
  /**
   * The caller's account status as this service knows it (read model), so a suspended or erased
   * user's remaining token minutes do not reach admin routes; throws when it cannot be read.
   */
  accountStatusOf: (userId: string) => Promise<'active' | 'blocked' | 'unknown'>;
  /** Injectable key source for tests; defaults to the remote JWKS. */
  keys?: JWTVerifyGetKey;
  /** Most verified tokens remembered (each until its `exp`, and at most `cacheMaxAgeMs`). */
  verifiedCacheSize?: number;
}

const invalidToken = () => invalidAccessToken();

function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(header);
  return match?.[1];
}

function protectedHeader(token: string): Record<string, unknown> | undefined {
  try {
    const header: unknown = JSON.parse(
      Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'),
    );
    return typeof header === 'object' && header !== null
      ? (header as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** JWKS fetch trouble (down, timeout, garbage) is ours to report as 503; the token is not at fault. */
function isKeySourceFailure(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid)
    return true;
  // jose reports a bad JWKS response (not 200, not JSON) with its generic error class.
  if (error instanceof joseErrors.JOSEError) {
    return error.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set/.test(error.message);
  }
  // Network failures surface as fetch's TypeError.
  return true;
}

const principals = new WeakMap<Request, Principal>();

/** The principal `authenticate` established for this request, if any (error handlers use it). */
export function principalOf(req: Request): Principal | undefined {
  return principals.get(req);
}

/**
 * Access tokens verified against the auth service's JWKS: RS256 only, `typ` at+jwt, our issuer and
 * audience, `kid` required; keys offered inside the token (jwk, jku, x5u, x5c) are refused before
 * any key lookup. The JWKS is cached and refetched when a token names an unknown `kid` (rotation),
 * at most once per cooldown. Tokens come from the Authorization header only.
 */
export function createAccessControl(options: AccessControlOptions): AccessControl {
  const clientIp = clientAddressOf(options.trustedProxies);
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.cooldownMs,
      cacheMaxAge: options.cacheMaxAgeMs,
      timeoutDuration: options.timeoutMs,
    });

  // Verified tokens, by their full text (never by signature alone: that would let a forged
  // payload ride on a real signature). An entry lives until the token's `exp` and no longer than
  // the key-set cache, so a retired key stops working as soon as it would without this cache.
  const verified = new Map<string, { principal: Principal; until: number }>();
  const verifiedMax = options.verifiedCacheSize ?? 10_000;

  function remembered(token: string): Principal | undefined {
    const entry = verified.get(token);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.principal;
    verified.delete(token);
    return undefined;
  }

  function remember(token: string, principal: Principal, exp: number): void {
    if (verified.size >= verifiedMax) verified.delete(verified.keys().next().value as string);
    verified.set(token, {
      principal,
      until: Math.min(exp * 1000, Date.now() + options.cacheMaxAgeMs),
    });
  }

  async function verify(token: string): Promise<Principal> {
    const hit = remembered(token);
    if (hit) return hit;
    const header = protectedHeader(token);
    if (
      !header ||
      header.alg !== 'RS256' ||
      header.typ !== ACCESS_TOKEN_TYP ||
      typeof header.kid !== 'string' ||
      ['jwk', 'jku', 'x5u', 'x5c', 'crit'].some((name) => name in header)
    ) {
      throw invalidToken();
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer: options.issuer,
        audience: options.audience,
        typ: ACCESS_TOKEN_TYP,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
        clockTolerance: 5,
      }));
    } catch (error) {
      if (isKeySourceFailure(error)) {
        throw serviceUnavailable(
          'auth.keys_unavailable',
          'Token keys cannot be fetched right now.',
        );
      }
      throw invalidToken();
    }
    const { sub, role, permissions, sid, exp } = payload;
    if (
      typeof sub !== 'string' ||
      !USER_ID_PATTERN.test(sub) ||
      typeof role !== 'string' ||
      typeof sid !== 'string' ||
      !Array.isArray(permissions) ||
      !permissions.every((p) => typeof p === 'string') ||
      typeof exp !== 'number'
    ) {
      throw invalidToken();
    }
    const principal = { userId: sub, role, permissions: permissions as string[], sessionId: sid };
    remember(token, principal, exp);
    return principal;
  }

  return {
    async authenticate(req: Request): Promise<Principal> {
      const token = bearerToken(req);
      if (!token) throw req.get('authorization') ? invalidToken() : accessTokenRequired();
      const principal = await verify(token);
      options.revocations.assertLive(principal.sessionId);
      principals.set(req, principal);
      return principal;
    },

    async currentPermissions(principal: Principal): Promise<readonly string[]> {
      let status: Awaited<ReturnType<AccessControlOptions['accountStatusOf']>>;
      try {
        status = await options.accountStatusOf(principal.userId);
      } catch {
        // A check we cannot make is a denial, never a pass.
        throw serviceUnavailable(
          'auth.permissions_unavailable',
          'Permissions cannot be checked right now.',
        );
      }
      // Permissions are the token's: this service cannot read the auth database.
      return status === 'blocked' ? [] : principal.permissions;
    },

    clientIp,
  };
}

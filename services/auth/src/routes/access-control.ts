import { createHash } from 'node:crypto';
import type { Request } from 'express';
import passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy, type VerifiedCallback } from 'passport-jwt';
import { clientAddressOf } from '@ums/service-kit/client-address';
import { accessTokenRequired, invalidAccessToken } from '@ums/service-kit/bearer';
import { serviceUnavailable } from '@ums/service-kit/errors';
import { assertMfaPolicy } from '../domain/mfa-policy.ts';
import { ACCESS_TOKEN_TYP } from '../domain/tokens.ts';
import type { SigningKeys } from '../domain/signing-keys.ts';
import type { AccessControl, Principal } from '@ums/service-kit/route-table';
import type { SessionRevocations } from '@ums/service-kit/session-revocations';

interface JwtHeader {
  alg?: string;
  kid?: string;
  typ?: string;
  jku?: unknown;
  jwk?: unknown;
  x5u?: unknown;
  x5c?: unknown;
}

function decodeHeader(token: string): JwtHeader | undefined {
  try {
    return JSON.parse(
      Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'),
    ) as JwtHeader;
  } catch {
    return undefined;
  }
}

interface VerifiedToken {
  principal: Principal;
  kid: string;
  /** The token's `exp`, in milliseconds. */
  expiresAt: number;
}

/**
 * Access tokens that passed the full verification, so a token sent again (every call a client
 * makes for 15 minutes) skips the RSA signature check. Keyed by the token's SHA-256, never the
 * token; bounded, least recently used out first; an entry is good until the token's `exp` only,
 * and its signing key must still be published at every hit. Only a token that verified can get
 * in, so this changes what is accepted in no case.
 */
export function createVerifiedTokenCache(maxEntries: number) {
  const entries = new Map<string, VerifiedToken>();
  return {
    get size() {
      return entries.size;
    },
    get(key: string, now = Date.now()): VerifiedToken | undefined {
      const found = entries.get(key);
      if (!found) return undefined;
      entries.delete(key);
      if (found.expiresAt <= now) return undefined;
      entries.set(key, found); // most recently used last
      return found;
    },
    set(key: string, value: VerifiedToken): void {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
    clear: () => entries.clear(),
  };
}

const tokenKey = (token: string) => createHash('sha256').update(token).digest('base64url');

/** The bearer token as passport-jwt's fromAuthHeaderAsBearerToken reads it. */
function bearerToken(req: Request): string | undefined {
  const match = /^(\S+)\s+(\S+)$/.exec(req.headers.authorization ?? '');
  return match && match[1]?.toLowerCase() === 'bearer' ? match[2] : undefined;
}

/**
 * Bearer access tokens verified by passport-jwt: RS256 only, our issuer and audience, `typ`
 * at+jwt, a `kid` we published; keys offered in the token's own headers (jwk, jku, x5u, x5c) are
 * refused outright. Tokens are read from the Authorization header only, never the query string.
 */
export function createAccessControl(deps: {
  keys: SigningKeys;
  issuer: string;
  audience: string;
  trustedProxies: readonly string[];
  /** Ended sessions: their tokens are refused although their signature and `exp` are fine. */
  revocations: Pick<SessionRevocations, 'assertLive'>;
  permissionsOf: (
    userId: string,
  ) => Promise<
    | { role: string; status: string; permissions: readonly string[]; mfaEnabled: boolean }
    | undefined
  >;
  /** MFA_REQUIRED_ROLES: members who have not enrolled get 403 on every permission route. */
  mfaRequiredRoles?: readonly string[];
  /** Verified tokens remembered (see createVerifiedTokenCache); 0 turns the cache off. */
  verifiedTokenCacheSize?: number;
}): AccessControl {
  const clientIp = clientAddressOf(deps.trustedProxies);
  const cacheSize = deps.verifiedTokenCacheSize ?? 10_000;
  const verified = createVerifiedTokenCache(cacheSize);
  const strategy = new JwtStrategy(
    {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: ['RS256'],
      issuer: deps.issuer,
      audience: deps.audience,
      jsonWebTokenOptions: { complete: false, clockTolerance: 5 },
      secretOrKeyProvider: (_req, rawJwt, done) => {
        const header = decodeHeader(String(rawJwt));
        if (
          !header ||
          header.alg !== 'RS256' ||
          header.typ !== ACCESS_TOKEN_TYP ||
          typeof header.kid !== 'string' ||
          header.jku !== undefined ||
          header.jwk !== undefined ||
          header.x5u !== undefined ||
          header.x5c !== undefined
        ) {
          done(null, undefined);
          return;
        }
        deps.keys.findPublicKey(header.kid).then(
          (key) => done(null, key?.spkiPem),
          (error: unknown) => done(error),
        );
      },
    },
    (payload: Record<string, unknown>, done: VerifiedCallback) => {
      const { sub, role, permissions, sid, exp } = payload;
      if (
        typeof sub !== 'string' ||
        typeof role !== 'string' ||
        typeof sid !== 'string' ||
        typeof exp !== 'number' ||
        !Array.isArray(permissions)
      ) {
        done(null, false);
        return;
      }
      const principal: Principal = Object.freeze({
        userId: sub,
        role,
        permissions: Object.freeze(permissions.map(String)),
        sessionId: sid,
      });
      done(null, principal, { exp });
    },
  );
  const authenticator = new passport.Passport();
  authenticator.use('jwt', strategy);

  function verify(req: Request): Promise<{ principal: Principal; exp: number }> {
    return new Promise((resolve, reject) => {
      authenticator.authenticate(
        'jwt',
        { session: false },
        (error: unknown, user: Principal | false, info?: { exp?: number }) => {
          if (error)
            reject(
              serviceUnavailable('auth.keys_unavailable', 'Token keys cannot be read right now.'),
            );
          else if (!user || typeof info?.exp !== 'number')
            reject(req.headers.authorization ? invalidAccessToken() : accessTokenRequired());
          else resolve({ principal: user, exp: info.exp });
        },
      )(req, {} as never, reject);
    });
  }

  /** Whether the key that signed a remembered token still verifies anything (retired keys end). */
  async function stillPublished(kid: string): Promise<boolean> {
    try {
      return (await deps.keys.findPublicKey(kid)) !== undefined;
    } catch {
      throw serviceUnavailable('auth.keys_unavailable', 'Token keys cannot be read right now.');
    }
  }

  return {
    async authenticate(req: Request): Promise<Principal> {
      const token = cacheSize > 0 ? bearerToken(req) : undefined;
      const key = token === undefined ? undefined : tokenKey(token);
      const hit = key === undefined ? undefined : verified.get(key);
      if (hit && (await stillPublished(hit.kid))) {
        deps.revocations.assertLive(hit.principal.sessionId);
        return hit.principal;
      }
      const { principal, exp } = await verify(req);
      deps.revocations.assertLive(principal.sessionId);
      const kid = token === undefined ? undefined : decodeHeader(token)?.kid;
      if (key !== undefined && typeof kid === 'string')
        verified.set(key, { principal, kid, expiresAt: exp * 1000 });
      return principal;
    },

    async currentPermissions(principal: Principal): Promise<readonly string[]> {
      let current: Awaited<ReturnType<typeof deps.permissionsOf>>;
      try {
        current = await deps.permissionsOf(principal.userId);
      } catch {
        // Never fall back to the token's claims: a lookup we cannot do is a denial.
        throw serviceUnavailable(
          'auth.permissions_unavailable',
          'Permissions cannot be checked right now.',
        );
      }
      if (!current || current.status !== 'active') return [];
      assertMfaPolicy(current, deps.mfaRequiredRoles ?? []);
      return current.permissions;
    },

    clientIp,
  };
}

import { randomUUID } from 'node:crypto';
import type { Queryable } from '../data/db.ts';
import { hashToken, randomToken } from './crypto.ts';
import type { TokenSigner } from './tokens.ts';

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
  sessionId: string;
}

export interface SessionUser {
  id: string;
  role: string;
  /** The role's permissions when the caller has just read them; otherwise they are looked up. */
  permissions?: readonly string[];
}

/** A short human label for a session list ("Chrome on Linux"); the raw agent is kept too. */
export function deviceLabel(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Chrome\//.test(userAgent)
      ? 'Chrome'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : userAgent.split(/[/ ]/)[0] || 'Unknown';
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : undefined;
  return os ? `${browser} on ${os}` : browser;
}

/**
 * Issues sessions: a refresh token (256 random bits, stored as SHA-256) starting a new family,
 * and an access token bound to it by `sid`. Rotation, reuse detection and revocation live in the
 * session service built on the same table.
 */
export function createSessionIssuer(deps: {
  signer: TokenSigner;
  permissionsOf: (role: string, db: Queryable) => Promise<readonly string[]>;
  absoluteTtl: number;
  idleTtl: number;
}) {
  return {
    async issue(db: Queryable, user: SessionUser, client: ClientInfo): Promise<TokenPair> {
      const familyId = randomUUID();
      const refreshToken = randomToken(32);
      await db.query({
        name: 'sessions.issue',
        text: `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at, idle_expires_at, user_agent, ip_address, device)
               VALUES ($1, $2, $3, now() + make_interval(secs => $4), now() + make_interval(secs => $5), $6, $7, $8)`,
        values: [
          user.id,
          familyId,
          hashToken(refreshToken),
          deps.absoluteTtl,
          deps.idleTtl,
          client.userAgent ?? null,
          client.ip,
          deviceLabel(client.userAgent),
        ],
      });
      const accessToken = await deps.signer.signAccessToken({
        userId: user.id,
        role: user.role,
        permissions: user.permissions ?? (await deps.permissionsOf(user.role, db)),
        sessionId: familyId,
      });
      return {
        accessToken,
        refreshToken,
        expiresIn: deps.signer.accessTokenTtl,
        tokenType: 'Bearer',
        sessionId: familyId,
      };
    },
  };
}

export type SessionIssuer = ReturnType<typeof createSessionIssuer>;

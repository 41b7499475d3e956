import { randomUUID } from 'node:crypto';
import type { Queryable } from '../data/db.ts';
import { createSessionsRepository, type NewSession } from '../data/sessions-repository.ts';
import type { UserRecord } from '../data/users-repository.ts';
import { hashToken, randomToken } from './crypto.ts';
import type { TokenSigner } from './tokens.ts';

const sessions = createSessionsRepository();

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

/** A new family's first token row: the token stored hashed, the client's agent and device. */
function newSession(
  userId: string,
  familyId: string,
  refreshToken: string,
  ttl: { absoluteTtl: number; idleTtl: number },
  client: ClientInfo,
): NewSession {
  return {
    userId,
    familyId,
    tokenHash: hashToken(refreshToken),
    absoluteTtl: ttl.absoluteTtl,
    idleTtl: ttl.idleTtl,
    userAgent: client.userAgent ?? null,
    ip: client.ip,
    device: deviceLabel(client.userAgent),
  };
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
    /** Completes a password sign-in in one statement; see `recordPasswordSignIn`. */
    signInWithPassword(
      db: Queryable,
      user: SessionUser & { permissions: readonly string[] },
      client: ClientInfo & { requestId: string },
      options: { newPasswordHash?: string | undefined },
    ) {
      return recordPasswordSignIn(db, deps, user, client, options);
    },

    async issue(db: Queryable, user: SessionUser, client: ClientInfo): Promise<TokenPair> {
      const familyId = randomUUID();
      const refreshToken = randomToken(32);
      await sessions.insert(db, newSession(user.id, familyId, refreshToken, deps, client));
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

/**
 * Completes a password sign-in: signs the new session's access token first (so a signing failure
 * writes nothing), then records everything in one statement. Returns undefined when the user is
 * gone by then (deleted between the password check and now): nothing was written.
 */
export async function recordPasswordSignIn(
  db: Queryable,
  deps: {
    signer: Pick<TokenSigner, 'signAccessToken' | 'accessTokenTtl'>;
    absoluteTtl: number;
    idleTtl: number;
  },
  user: SessionUser & { permissions: readonly string[] },
  client: ClientInfo & { requestId: string },
  options: { newPasswordHash?: string | undefined },
): Promise<{ pair: TokenPair; user: UserRecord } | undefined> {
  const familyId = randomUUID();
  const refreshToken = randomToken(32);
  const accessToken = await deps.signer.signAccessToken({
    userId: user.id,
    role: user.role,
    permissions: user.permissions,
    sessionId: familyId,
  });
  const payload = {
    actorId: user.id,
    requestId: client.requestId,
    ip: client.ip,
    data: {
      method: 'password',
      sessionId: familyId,
      rehashed: options.newPasswordHash !== undefined,
    },
  };
  const signedIn = await sessions.recordPasswordSignIn(db, {
    ...newSession(user.id, familyId, refreshToken, deps, client),
    newPasswordHash: options.newPasswordHash ?? null,
    event: payload,
  });
  if (!signedIn) return undefined;
  const pair: TokenPair = {
    accessToken,
    refreshToken,
    expiresIn: deps.signer.accessTokenTtl,
    tokenType: 'Bearer',
    sessionId: familyId,
  };
  return { pair, user: signedIn };
}

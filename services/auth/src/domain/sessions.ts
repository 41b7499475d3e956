import { randomUUID } from 'node:crypto';
import type { Queryable } from '../data/db.ts';
import { columns, toUser, type UserRecord, type UserRow } from '../data/users-repository.ts';
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

/** An ISO-8601 UTC string with milliseconds, as `Date.prototype.toISOString` writes it. */
const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A password sign-in's writes as ONE statement (atomic without BEGIN and COMMIT round trips):
 * clear the failure count and stamp the sign-in (storing a rehashed password when there is one),
 * start the session, and append `auth.login_succeeded` whose `data.user` is the user as that
 * UPDATE left them, in the shape of `publicUser` (tested against it).
 */
const SIGN_IN_SQL = `
WITH u AS (
  UPDATE users SET failed_login_count = 0, locked_until = NULL, last_login_at = now(), updated_at = now(),
         password_hash = COALESCE($9::text, password_hash)
  WHERE id = $1 RETURNING ${columns}
), session AS (
  INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at, idle_expires_at, user_agent, ip_address, device)
  SELECT u.id, $2, $3, now() + make_interval(secs => $4), now() + make_interval(secs => $5), $6, $7, $8 FROM u
), event AS (
  INSERT INTO outbox (type, aggregate_id, payload)
  SELECT 'auth.login_succeeded', u.id::text, jsonb_set($10::jsonb, '{data,user}', jsonb_build_object(
    'id', u.id, 'email', u.email, 'firstName', u.first_name, 'lastName', u.last_name,
    'role', u.role, 'status', u.status, 'emailVerified', u.email_verified,
    'mfaEnabled', u.mfa_enabled, 'createdAt', ${iso('u.created_at')},
    'lastLoginAt', ${iso('u.last_login_at')}))
  FROM u
)
SELECT * FROM u`;

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
  const { rows } = await db.query<UserRow>({
    name: 'sessions.password_sign_in',
    text: SIGN_IN_SQL,
    values: [
      user.id,
      familyId,
      hashToken(refreshToken),
      deps.absoluteTtl,
      deps.idleTtl,
      client.userAgent ?? null,
      client.ip,
      deviceLabel(client.userAgent),
      options.newPasswordHash ?? null,
      JSON.stringify(payload),
    ],
  });
  const row = rows[0];
  if (!row) return undefined;
  const pair: TokenPair = {
    accessToken,
    refreshToken,
    expiresIn: deps.signer.accessTokenTtl,
    tokenType: 'Bearer',
    sessionId: familyId,
  };
  return { pair, user: toUser(row) };
}

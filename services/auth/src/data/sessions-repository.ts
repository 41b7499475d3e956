import type { Queryable } from './db.ts';
import { SESSIONS_ENDED } from './outbox.ts';
import {
  columns,
  qualifiedColumns,
  toUser,
  type UserRecord,
  type UserRow,
} from './users-repository.ts';

// Sessions are refresh-token families in `refresh_tokens`: one row per token, the family id is
// the session id (the access token's `sid`). Tokens arrive here hashed.

/** Why a session's tokens were revoked (`refresh_tokens.revoked_reason`, and the outbox note). */
export type RevocationReason =
  | 'logout'
  | 'logout_all'
  | 'session_revoked'
  | 'password_changed'
  | 'password_reset'
  | 'mfa_changed'
  | 'suspended'
  | 'deleted'
  | 'admin_revoked'
  | 'token_reuse';

/** A new family's first token: lifetimes in seconds from now, the client that signed in. */
export interface NewSession {
  userId: string;
  familyId: string;
  tokenHash: Buffer;
  absoluteTtl: number;
  idleTtl: number;
  userAgent: string | null;
  ip: string;
  device: string;
}

/**
 * What the rotation statement found and did: the presented token as its lock saw it, its user
 * with the role's permissions (undefined when the user is gone), and whether a child was minted.
 */
export interface RotationRecord {
  tokenId: string;
  userId: string;
  familyId: string;
  usedAt: Date | null;
  revokedAt: Date | null;
  /** Past its absolute or its idle expiry. */
  expired: boolean;
  /** Some token of its family was revoked. */
  familyRevoked: boolean;
  account: { user: UserRecord; permissions: string[] } | undefined;
  rotated: boolean;
}

/** A live session as the session list shows it. */
export interface LiveSessionRecord {
  id: string;
  device: string | null;
  userAgent: string | null;
  ipAddress: string | null;
  createdAt: Date;
  lastUsedAt: Date;
}

type RotationRow = {
  token_id: string;
  user_id: string;
  family_id: string;
  used_at: Date | null;
  revoked_at: Date | null;
  expired: boolean;
  family_revoked: boolean;
} & { [K in keyof UserRow]: UserRow[K] | null } & {
  permissions: string[] | null;
  rotated: boolean;
};

/**
 * Rotation in one statement: lock the presented token's row, read its user and the role's
 * permissions, and, only when the token is live, unexpired and the user active, mark it used and
 * insert its child. Data-modifying CTEs run to completion, and FOR UPDATE returns the row as the
 * last committed change left it, so a racing rotation that committed while this one waited for
 * the lock is seen (used) and nothing is minted. The family check runs in the same statement: a
 * child minted while a revocation of its family was in flight escapes that UPDATE's snapshot,
 * but its revoked ancestors give it away here.
 */
const ROTATE_SQL = `
WITH t AS (
  SELECT t.id AS token_id, t.user_id, t.family_id, t.used_at, t.revoked_at,
         (t.expires_at <= now() OR t.idle_expires_at <= now()) AS expired,
         EXISTS (SELECT 1 FROM refresh_tokens f WHERE f.family_id = t.family_id AND f.revoked_at IS NOT NULL) AS family_revoked
  FROM refresh_tokens t WHERE t.token_hash = $1 FOR UPDATE OF t
), u AS (
  SELECT ${qualifiedColumns}, COALESCE(r.permissions, '{}') AS permissions
  FROM users u LEFT JOIN roles r ON r.name = u.role WHERE u.id = (SELECT user_id FROM t)
), parent AS (
  UPDATE refresh_tokens p SET used_at = now() FROM t, u
  WHERE p.id = t.token_id AND t.used_at IS NULL AND t.revoked_at IS NULL AND NOT t.family_revoked
    AND NOT t.expired AND u.status = 'active'
  RETURNING p.*
), child AS (
  -- The child keeps the family's absolute expiry; only the idle expiry slides (never past it).
  INSERT INTO refresh_tokens (user_id, family_id, parent_id, token_hash, expires_at, idle_expires_at, user_agent, ip_address, device)
  SELECT user_id, family_id, id, $2, expires_at, LEAST(expires_at, now() + make_interval(secs => $3)),
         COALESCE($4::text, user_agent), $5, CASE WHEN $4::text IS NULL THEN device ELSE $6 END
  FROM parent
  RETURNING id
)
SELECT t.*, u.*, EXISTS (SELECT 1 FROM child) AS rotated FROM t LEFT JOIN u ON true`;

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

// The most recent sessions a user sees; a bot that signs in thousands of times cannot make the
// list (or this query) unbounded.
const MAX_LISTED = 200;

// A family is live while its newest token is unused, unrevoked and unexpired and none of its
// tokens was revoked (a child minted during a revocation escapes that UPDATE but not this check).
const LIVE_TOKEN = `t.revoked_at IS NULL AND t.used_at IS NULL AND t.expires_at > now() AND t.idle_expires_at > now()
  AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = t.family_id AND r.revoked_at IS NOT NULL)`;

/**
 * Revokes the live tokens `condition` selects and, in the same statement, writes the families
 * that ended to the outbox (one `sessions.ended` row per user), so the announcement commits or
 * rolls back with the revocation. Returns the ended family ids.
 */
async function revokeWhere(
  db: Queryable,
  name: string,
  condition: string,
  values: unknown[],
): Promise<string[]> {
  const { rows } = await db.query<{ family_id: string }>({
    name,
    text: `WITH ended AS (
         UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $1
         WHERE revoked_at IS NULL AND ${condition}
         RETURNING user_id, family_id
       ), families AS (SELECT DISTINCT user_id, family_id FROM ended), note AS (
         INSERT INTO outbox (type, aggregate_id, payload)
         SELECT '${SESSIONS_ENDED}', user_id::text, jsonb_build_object('data', jsonb_build_object(
           'reason', $1::text, 'sessionIds', jsonb_agg(family_id ORDER BY family_id)))
         FROM families GROUP BY user_id
       )
       SELECT family_id FROM families`,
    values,
  });
  return rows.map((r) => r.family_id);
}

const sessionValues = (s: NewSession) => [
  s.userId,
  s.familyId,
  s.tokenHash,
  s.absoluteTtl,
  s.idleTtl,
  s.userAgent,
  s.ip,
  s.device,
];

export function createSessionsRepository() {
  return {
    /** Starts a session: the first token of a new family. */
    async insert(db: Queryable, session: NewSession): Promise<void> {
      await db.query({
        name: 'sessions.issue',
        text: `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at, idle_expires_at, user_agent, ip_address, device)
               VALUES ($1, $2, $3, now() + make_interval(secs => $4), now() + make_interval(secs => $5), $6, $7, $8)`,
        values: sessionValues(session),
      });
    },

    /**
     * A password sign-in's writes in one statement (see SIGN_IN_SQL); `event` is the
     * `auth.login_succeeded` payload, to which the statement adds `data.user`. Returns the user as
     * it left them, or undefined when the user is gone (then nothing was written).
     */
    async recordPasswordSignIn(
      db: Queryable,
      session: NewSession & { newPasswordHash: string | null; event: Record<string, unknown> },
    ): Promise<UserRecord | undefined> {
      const { rows } = await db.query<UserRow>({
        name: 'sessions.password_sign_in',
        text: SIGN_IN_SQL,
        values: [...sessionValues(session), session.newPasswordHash, JSON.stringify(session.event)],
      });
      return rows[0] && toUser(rows[0]);
    },

    /**
     * Rotates the token whose hash is `tokenHash` into a child with `childTokenHash` when it is
     * live, unexpired and its user active (see ROTATE_SQL); the idle expiry slides by `idleTtl`
     * seconds, and a null `userAgent` keeps the family's agent and device. Undefined when no
     * token has that hash. Run it in the transaction that finishes the refresh.
     */
    async rotate(
      db: Queryable,
      rotation: {
        tokenHash: Buffer;
        childTokenHash: Buffer;
        idleTtl: number;
        userAgent: string | null;
        ip: string;
        device: string;
      },
    ): Promise<RotationRecord | undefined> {
      const { rows } = await db.query<RotationRow>({
        name: 'refresh.rotate',
        text: ROTATE_SQL,
        values: [
          rotation.tokenHash,
          rotation.childTokenHash,
          rotation.idleTtl,
          rotation.userAgent,
          rotation.ip,
          rotation.device,
        ],
      });
      const row = rows[0];
      if (!row) return undefined;
      return {
        tokenId: row.token_id,
        userId: row.user_id,
        familyId: row.family_id,
        usedAt: row.used_at,
        revokedAt: row.revoked_at,
        expired: row.expired,
        familyRevoked: row.family_revoked,
        account:
          row.id === null
            ? undefined
            : { user: toUser(row as UserRow), permissions: row.permissions ?? [] },
        rotated: row.rotated,
      };
    },

    /** The session (family) and user of a token by its hash, whatever its state. */
    async findByTokenHash(
      db: Queryable,
      tokenHash: Buffer,
    ): Promise<{ userId: string; sessionId: string } | undefined> {
      const { rows } = await db.query<{ user_id: string; family_id: string }>(
        'SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = $1',
        [tokenHash],
      );
      const row = rows[0];
      return row && { userId: row.user_id, sessionId: row.family_id };
    },

    /** A user's live sessions, newest first, at most MAX_LISTED; device data of the newest token. */
    async listLive(db: Queryable, userId: string): Promise<LiveSessionRecord[]> {
      const { rows } = await db.query<{
        id: string;
        device: string | null;
        user_agent: string | null;
        ip_address: string | null;
        created_at: Date;
        last_used_at: Date;
      }>(
        `SELECT t.family_id AS id, t.device, t.user_agent, t.ip_address, t.created_at AS last_used_at,
                (SELECT min(f.created_at) FROM refresh_tokens f WHERE f.family_id = t.family_id) AS created_at
         FROM refresh_tokens t WHERE t.user_id = $1 AND ${LIVE_TOKEN}
         ORDER BY t.created_at DESC LIMIT ${MAX_LISTED}`,
        [userId],
      );
      return rows.map((r) => ({
        id: r.id,
        device: r.device,
        userAgent: r.user_agent,
        ipAddress: r.ip_address,
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at,
      }));
    },

    /** Live sessions across all users. */
    async countLive(db: Queryable): Promise<number> {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(DISTINCT t.family_id) AS n FROM refresh_tokens t WHERE ${LIVE_TOKEN}`,
      );
      return Number(rows[0]?.n ?? 0);
    },

    /** Revokes every live token of a user but those of `exceptSessionId`; returns the ended session ids. */
    revokeAllOfUser(
      db: Queryable,
      userId: string,
      reason: RevocationReason,
      exceptSessionId?: string,
    ): Promise<string[]> {
      return revokeWhere(
        db,
        'sessions.revoke_all',
        'user_id = $2 AND ($3::uuid IS NULL OR family_id <> $3::uuid)',
        [reason, userId, exceptSessionId ?? null],
      );
    },

    /** Revokes one session of a user; false when it was not theirs or had nothing live. */
    async revokeOneOfUser(
      db: Queryable,
      userId: string,
      sessionId: string,
      reason: RevocationReason,
    ): Promise<boolean> {
      const ended = await revokeWhere(
        db,
        'sessions.revoke_one',
        'user_id = $2 AND family_id = $3::uuid',
        [reason, userId, sessionId],
      );
      return ended.length > 0;
    },

    /** Revokes whatever is still live in a family, whoever holds it; returns how many tokens that was. */
    async revokeFamily(db: Queryable, familyId: string, reason: RevocationReason): Promise<number> {
      const { rows } = await db.query<{ tokens: string }>({
        name: 'sessions.revoke_family',
        text: `WITH ended AS (
         UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $1
         WHERE revoked_at IS NULL AND family_id = $2::uuid
         RETURNING user_id
       ), note AS (
         INSERT INTO outbox (type, aggregate_id, payload)
         SELECT '${SESSIONS_ENDED}', user_id::text, jsonb_build_object('data', jsonb_build_object(
           'reason', $1::text, 'sessionIds', jsonb_build_array($2::text)))
         FROM ended GROUP BY user_id
       )
       SELECT count(*) AS tokens FROM ended`,
        values: [reason, familyId],
      });
      return Number(rows[0]?.tokens ?? 0);
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;

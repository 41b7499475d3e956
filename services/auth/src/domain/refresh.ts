import { withTransaction, type Db, type DbClient, type Queryable } from '../data/db.ts';
import { appendEvent } from '../data/outbox.ts';
import {
  qualifiedColumns,
  toUser,
  type UserRecord,
  type UserRow,
} from '../data/users-repository.ts';
import type { BusinessMetrics } from './business-metrics.ts';
import { hashToken, randomToken } from './crypto.ts';
import { revokeFamily } from './session-revocation.ts';
import { deviceLabel, type ClientInfo, type TokenPair } from './sessions.ts';
import type { TokenSigner } from './tokens.ts';

export interface RequestInfo extends ClientInfo {
  requestId: string;
}

/**
 * Why a refresh was refused. Callers answer every one of them the same way (401); the reason is
 * for logs and tests. `reused`: a rotated-out token came back (theft or a client race);
 * `revoked`: the session was ended (logout, password change, suspension...).
 */
export type RefusalReason = 'unknown' | 'reused' | 'revoked' | 'expired' | 'account_inactive';

export type RotationOutcome =
  { ok: true; pair: TokenPair; user: UserRecord } | { ok: false; reason: RefusalReason };

interface LockedToken {
  token_id: string;
  user_id: string;
  family_id: string;
  used_at: Date | null;
  revoked_at: Date | null;
  expired: boolean;
  family_revoked: boolean;
}

/** The token, its user with the role's permissions (null when deleted), and whether it rotated. */
type RotationRow = LockedToken &
  ({ [K in keyof UserRow]: UserRow[K] | null } & {
    permissions: string[] | null;
    rotated: boolean;
  });

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

/**
 * Refresh-token rotation (RFC 9700 4.14.2). Every use marks the token used and mints its child in
 * the same family inside ONE transaction, with the token row locked, so parallel refreshes of one
 * token serialise and exactly one wins, and a failure anywhere (including signing) rolls back to
 * the old token still being usable with no child. A used token presented again revokes the whole
 * family and emits `auth.token_reuse_detected` in the same transaction.
 */
export function createRefreshRotation(deps: {
  db: Db;
  signer: Pick<TokenSigner, 'signAccessToken' | 'accessTokenTtl'>;
  idleTtl: number;
  metrics: Pick<BusinessMetrics, 'tokenReuse'>;
}) {
  async function refuseDeadToken(
    tx: DbClient,
    row: LockedToken,
    info: RequestInfo,
  ): Promise<RotationOutcome> {
    if (row.used_at === null && row.revoked_at === null) {
      // A live token whose family was revoked while it was being minted: finish the revocation.
      await revokeFamily(tx, row.family_id, 'session_revoked');
      return { ok: false, reason: 'revoked' };
    }
    const revoked = await revokeFamily(tx, row.family_id, 'token_reuse');
    // A rotated-out token is always suspicious. A revoked one is what a client legitimately holds
    // after a logout elsewhere: alarming only when its family still had something live.
    if (row.used_at === null && revoked === 0) return { ok: false, reason: 'revoked' };
    await appendEvent(tx, {
      type: 'auth.token_reuse_detected',
      aggregateId: row.user_id,
      actorId: 'system',
      requestId: info.requestId,
      ip: info.ip,
      data: {
        sessionId: row.family_id,
        tokenId: row.token_id,
        revokedTokens: revoked,
        userAgent: info.userAgent ?? null,
      },
    });
    return { ok: false, reason: 'reused' };
  }

  async function rotateLocked(
    tx: DbClient,
    token: string,
    info: RequestInfo,
  ): Promise<RotationOutcome> {
    const refreshToken = randomToken(32);
    const { rows } = await tx.query<RotationRow>({
      name: 'refresh.rotate',
      text: ROTATE_SQL,
      values: [
        hashToken(token),
        hashToken(refreshToken),
        deps.idleTtl,
        info.userAgent ?? null,
        info.ip,
        deviceLabel(info.userAgent),
      ],
    });
    const row = rows[0];
    if (!row) return { ok: false, reason: 'unknown' };
    const dead = row.used_at !== null || row.revoked_at !== null || row.family_revoked;
    if (dead) return refuseDeadToken(tx, row, info);
    if (row.expired) return { ok: false, reason: 'expired' };
    if (row.id === null || row.status !== 'active')
      return { ok: false, reason: 'account_inactive' };
    if (!row.rotated) throw new Error('refresh rotation: a live token was not rotated');
    const user = toUser(row as UserRow);

    // Signed before COMMIT: if signing fails, the rotation rolls back instead of burning the token.
    const accessToken = await deps.signer.signAccessToken({
      userId: user.id,
      role: user.role,
      permissions: row.permissions ?? [],
      sessionId: row.family_id,
    });
    const pair: TokenPair = {
      accessToken,
      refreshToken,
      expiresIn: deps.signer.accessTokenTtl,
      tokenType: 'Bearer',
      sessionId: row.family_id,
    };
    return { ok: true, pair, user };
  }

  return {
    async rotate(token: string, info: RequestInfo): Promise<RotationOutcome> {
      const outcome = await withTransaction(deps.db, (tx) => rotateLocked(tx, token, info));
      // Counted after COMMIT so a rolled-back detection is not reported.
      if (!outcome.ok && outcome.reason === 'reused') deps.metrics.tokenReuse.inc();
      return outcome;
    },
  };
}

export type RefreshRotation = ReturnType<typeof createRefreshRotation>;

/** The session (family) and user a refresh token belongs to, whatever its state; for logout. */
export async function sessionOfRefreshToken(
  db: Queryable,
  token: string,
): Promise<{ userId: string; sessionId: string } | undefined> {
  const { rows } = await db.query<{ user_id: string; family_id: string }>(
    'SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = $1',
    [hashToken(token)],
  );
  const row = rows[0];
  return row && { userId: row.user_id, sessionId: row.family_id };
}

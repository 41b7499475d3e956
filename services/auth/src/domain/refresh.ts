import { withTransaction, type Db, type DbClient, type Queryable } from '../data/db.ts';
import { appendEvent } from '../data/outbox.ts';
import { createSessionsRepository, type RotationRecord } from '../data/sessions-repository.ts';
import type { UserRecord } from '../data/users-repository.ts';
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

const sessions = createSessionsRepository();

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
    row: RotationRecord,
    info: RequestInfo,
  ): Promise<RotationOutcome> {
    if (row.usedAt === null && row.revokedAt === null) {
      // A live token whose family was revoked while it was being minted: finish the revocation.
      await revokeFamily(tx, row.familyId, 'session_revoked');
      return { ok: false, reason: 'revoked' };
    }
    const revoked = await revokeFamily(tx, row.familyId, 'token_reuse');
    // A rotated-out token is always suspicious. A revoked one is what a client legitimately holds
    // after a logout elsewhere: alarming only when its family still had something live.
    if (row.usedAt === null && revoked === 0) return { ok: false, reason: 'revoked' };
    await appendEvent(tx, {
      type: 'auth.token_reuse_detected',
      aggregateId: row.userId,
      actorId: 'system',
      requestId: info.requestId,
      ip: info.ip,
      data: {
        sessionId: row.familyId,
        tokenId: row.tokenId,
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
    const row = await sessions.rotate(tx, {
      tokenHash: hashToken(token),
      childTokenHash: hashToken(refreshToken),
      idleTtl: deps.idleTtl,
      userAgent: info.userAgent ?? null,
      ip: info.ip,
      device: deviceLabel(info.userAgent),
    });
    if (!row) return { ok: false, reason: 'unknown' };
    const dead = row.usedAt !== null || row.revokedAt !== null || row.familyRevoked;
    if (dead) return refuseDeadToken(tx, row, info);
    if (row.expired) return { ok: false, reason: 'expired' };
    if (!row.account || row.account.user.status !== 'active')
      return { ok: false, reason: 'account_inactive' };
    if (!row.rotated) throw new Error('refresh rotation: a live token was not rotated');
    const { user, permissions } = row.account;

    // Signed before COMMIT: if signing fails, the rotation rolls back instead of burning the token.
    const accessToken = await deps.signer.signAccessToken({
      userId: user.id,
      role: user.role,
      permissions,
      sessionId: row.familyId,
    });
    const pair: TokenPair = {
      accessToken,
      refreshToken,
      expiresIn: deps.signer.accessTokenTtl,
      tokenType: 'Bearer',
      sessionId: row.familyId,
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
  return sessions.findByTokenHash(db, hashToken(token));
}

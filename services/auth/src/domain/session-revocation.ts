import type { Queryable } from '../data/db.ts';

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

/** Revokes every live refresh token of a user (all sessions); returns how many sessions ended. */
export async function revokeAllSessions(
  db: Queryable,
  userId: string,
  reason: RevocationReason,
  exceptSessionId?: string,
): Promise<number> {
  const { rows } = await db.query<{ family_id: string }>(
    `UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $2
     WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR family_id <> $3::uuid)
     RETURNING family_id`,
    [userId, reason, exceptSessionId ?? null],
  );
  return new Set(rows.map((r) => r.family_id)).size;
}

/** Revokes one session (a refresh token family) of a user; false when it was not theirs or already ended. */
export async function revokeSession(
  db: Queryable,
  userId: string,
  sessionId: string,
  reason: RevocationReason,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $3
     WHERE user_id = $1 AND family_id = $2 AND revoked_at IS NULL`,
    [userId, sessionId, reason],
  );
  return (rowCount ?? 0) > 0;
}

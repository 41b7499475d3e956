import type { Queryable } from './db.ts';

export type OneTimePurpose = 'verify_email' | 'reset_password';

export interface OneTimeTokenRecord {
  id: string;
  userId: string;
  purpose: OneTimePurpose;
  expiresAt: Date;
}

/**
 * One-time tokens (email verification, password reset). Only the SHA-256 of a token is stored;
 * the token itself exists in the email and nowhere else.
 */
export async function insertOneTimeToken(
  db: Queryable,
  token: { userId: string; purpose: OneTimePurpose; tokenHash: Buffer; ttlSeconds: number },
): Promise<OneTimeTokenRecord> {
  const { rows } = await db.query<{ id: string; expires_at: Date }>(
    `INSERT INTO one_time_tokens (user_id, purpose, token_hash, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING id, expires_at`,
    [token.userId, token.purpose, token.tokenHash, token.ttlSeconds],
  );
  const row = rows[0];
  if (!row) throw new Error('one_time_tokens insert returned no row');
  return { id: row.id, userId: token.userId, purpose: token.purpose, expiresAt: row.expires_at };
}

/** A live token (unused, unexpired) by its hash, without using it. */
export async function findLiveOneTimeToken(
  db: Queryable,
  purpose: OneTimePurpose,
  tokenHash: Buffer,
): Promise<OneTimeTokenRecord | undefined> {
  const { rows } = await db.query<{ id: string; user_id: string; expires_at: Date }>(
    `SELECT id, user_id, expires_at FROM one_time_tokens
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`,
    [tokenHash, purpose],
  );
  const row = rows[0];
  return row && { id: row.id, userId: row.user_id, purpose, expiresAt: row.expires_at };
}

/**
 * Uses a live token: one atomic UPDATE, so of two concurrent uses exactly one gets the user id
 * and the other gets undefined.
 */
export async function consumeOneTimeToken(
  db: Queryable,
  purpose: OneTimePurpose,
  tokenHash: Buffer,
): Promise<{ userId: string } | undefined> {
  const { rows } = await db.query<{ user_id: string }>(
    `UPDATE one_time_tokens SET used_at = now()
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
     RETURNING user_id`,
    [tokenHash, purpose],
  );
  return rows[0] && { userId: rows[0].user_id };
}

/** Ends every live token of a user for one purpose (a newer link replaces older ones). */
export async function invalidateOneTimeTokens(
  db: Queryable,
  userId: string,
  purpose: OneTimePurpose,
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
    [userId, purpose],
  );
  return rowCount ?? 0;
}

import type { Queryable } from './db.ts';

/** Replaces a user's recovery codes (hashes only) with a new set; the old set stops working. */
export async function replaceRecoveryCodes(
  db: Queryable,
  userId: string,
  codeHashes: readonly Buffer[],
): Promise<void> {
  await db.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
  await db.query('INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])', [
    userId,
    [...codeHashes],
  ]);
}

/** Marks one unused code as used; false when no such unused code exists (wrong or spent). */
export async function useRecoveryCode(
  db: Queryable,
  userId: string,
  codeHash: Buffer,
): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL',
    [userId, codeHash],
  );
  return rowCount === 1;
}

export async function countUnusedRecoveryCodes(db: Queryable, userId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL',
    [userId],
  );
  return rows[0]?.n ?? 0;
}

export async function deleteRecoveryCodes(db: Queryable, userId: string): Promise<void> {
  await db.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
}

import type { Queryable } from './db.ts';

/**
 * Stores a new password hash. `clearLockout` is for a completed reset (the mailbox owner proved
 * control of the account); a login rehash keeps the counters as they are.
 */
export async function setPasswordHash(
  db: Queryable,
  userId: string,
  passwordHash: string,
  options: { changed: boolean; clearLockout: boolean },
): Promise<void> {
  await db.query(
    `UPDATE users SET password_hash = $2,
       password_changed_at = CASE WHEN $3 THEN now() ELSE password_changed_at END,
       failed_login_count = CASE WHEN $4 THEN 0 ELSE failed_login_count END,
       locked_until = CASE WHEN $4 THEN NULL ELSE locked_until END,
       updated_at = now()
     WHERE id = $1`,
    [userId, passwordHash, options.changed, options.clearLockout],
  );
}

/** Marks the email verified; returns false when it already was (nothing changed). */
export async function markEmailVerified(db: Queryable, userId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE users SET email_verified = true, updated_at = now() WHERE id = $1 AND email_verified = false',
    [userId],
  );
  return rowCount === 1;
}

/** Clears the consecutive-failure count after a successful password check outside sign-in. */
export async function clearFailedAttempts(db: Queryable, userId: string): Promise<void> {
  await db.query(
    'UPDATE users SET failed_login_count = 0, updated_at = now() WHERE id = $1 AND failed_login_count <> 0',
    [userId],
  );
}

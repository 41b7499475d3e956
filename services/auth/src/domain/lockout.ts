import type { Queryable } from '../data/db.ts';

export interface LockoutPolicy {
  /** Consecutive failures that lock the account. */
  threshold: number;
  /** First lock's length in seconds; each further lock doubles it, up to 24 hours. */
  durationSeconds: number;
}

export function isLocked(user: { lockedUntil: Date | null }, now = new Date()): boolean {
  return user.lockedUntil !== null && user.lockedUntil > now;
}

/**
 * Counts a failed password or MFA attempt in PostgreSQL (shared by every replica, survives Redis
 * outages). Attempts while locked do not extend the lock. Returns whether this attempt locked it.
 */
export async function recordFailedAttempt(
  db: Queryable,
  userId: string,
  policy: LockoutPolicy,
): Promise<{ locked: boolean; lockedUntil: Date | null }> {
  const { rows } = await db.query<{ locked_until: Date | null; just_locked: boolean }>(
    `WITH prev AS (SELECT id, locked_until FROM users WHERE id = $1 FOR UPDATE)
     UPDATE users u SET
       failed_login_count = CASE WHEN prev.locked_until > now() THEN u.failed_login_count ELSE u.failed_login_count + 1 END,
       lockout_count = CASE WHEN prev.locked_until > now() THEN u.lockout_count
                            WHEN u.failed_login_count + 1 >= $2 THEN u.lockout_count + 1 ELSE u.lockout_count END,
       locked_until = CASE WHEN prev.locked_until > now() THEN prev.locked_until
                           WHEN u.failed_login_count + 1 >= $2
                             THEN now() + make_interval(secs => LEAST($3 * power(2, u.lockout_count), 86400))
                           ELSE u.locked_until END,
       updated_at = now()
     FROM prev WHERE u.id = prev.id
     RETURNING u.locked_until,
       (prev.locked_until IS NULL OR prev.locked_until <= now()) AND u.locked_until > now() AS just_locked`,
    [userId, policy.threshold, policy.durationSeconds],
  );
  const row = rows[0];
  return { locked: row?.just_locked ?? false, lockedUntil: row?.locked_until ?? null };
}

/** A successful sign-in clears the consecutive-failure count (the lock history stays for progression). */
export async function recordSuccessfulLogin(db: Queryable, userId: string): Promise<void> {
  await db.query(
    'UPDATE users SET failed_login_count = 0, locked_until = NULL, last_login_at = now(), updated_at = now() WHERE id = $1',
    [userId],
  );
}

/** Admin unlock: clears the lock and the counters, including the progression. */
export async function unlockAccount(db: Queryable, userId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE users SET failed_login_count = 0, lockout_count = 0, locked_until = NULL, updated_at = now() WHERE id = $1',
    [userId],
  );
  return rowCount === 1;
}

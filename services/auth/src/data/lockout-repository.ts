import type { Queryable } from './db.ts';

// The lockout columns of `users`: the consecutive-failure count, the lock and how many locks came
// before it (the progression). The policy (threshold, first lock's length) comes from the caller.

export function createLockoutRepository() {
  return {
    /**
     * Counts one failure under the row lock. While locked, nothing moves (attempts do not extend
     * the lock); the failure that reaches the threshold locks for `durationSeconds` doubled per
     * earlier lock, up to 24 hours. `justLocked`: this failure set the lock. Undefined when there
     * is no such user.
     */
    async recordFailure(
      db: Queryable,
      userId: string,
      policy: { threshold: number; durationSeconds: number },
    ): Promise<{ lockedUntil: Date | null; justLocked: boolean } | undefined> {
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
      return row && { lockedUntil: row.locked_until, justLocked: row.just_locked };
    },

    /** Clears the failure count and the lock (not the progression) and stamps the sign-in. */
    async recordSuccessfulLogin(db: Queryable, userId: string): Promise<void> {
      await db.query(
        'UPDATE users SET failed_login_count = 0, locked_until = NULL, last_login_at = now(), updated_at = now() WHERE id = $1',
        [userId],
      );
    },

    /** Clears the lock and the counters, the progression included; false when there is no such user. */
    async unlock(db: Queryable, userId: string): Promise<boolean> {
      const { rowCount } = await db.query(
        'UPDATE users SET failed_login_count = 0, lockout_count = 0, locked_until = NULL, updated_at = now() WHERE id = $1',
        [userId],
      );
      return rowCount === 1;
    },
  };
}

export type LockoutRepository = ReturnType<typeof createLockoutRepository>;

import type { Queryable } from '../data/db.ts';
import { createLockoutRepository } from '../data/lockout-repository.ts';

const lockout = createLockoutRepository();

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
  const row = await lockout.recordFailure(db, userId, policy);
  return { locked: row?.justLocked ?? false, lockedUntil: row?.lockedUntil ?? null };
}

/** A successful sign-in clears the consecutive-failure count (the lock history stays for progression). */
export async function recordSuccessfulLogin(db: Queryable, userId: string): Promise<void> {
  await lockout.recordSuccessfulLogin(db, userId);
}

/** Admin unlock: clears the lock and the counters, including the progression. */
export async function unlockAccount(db: Queryable, userId: string): Promise<boolean> {
  return lockout.unlock(db, userId);
}

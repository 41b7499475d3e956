import { readAccountStats } from '../data/account-stats.ts';
import type { Db } from '../data/db.ts';

/** The registrations window: one entry per UTC day, at most a year. */
export const STATS_DEFAULT_DAYS = 30;
export const STATS_MAX_DAYS = 365;

/** Account counts by status and role, and registrations per UTC day, as the dashboard shows them. */
export async function accountStats(db: Db, days: number) {
  if (!Number.isInteger(days) || days < 1 || days > STATS_MAX_DAYS)
    throw new RangeError(`days must be an integer from 1 to ${STATS_MAX_DAYS}`);
  const stats = await readAccountStats(db, days);
  return { ...stats, generatedAt: stats.generatedAt.toISOString() };
}

export type AccountStatsView = Awaited<ReturnType<typeof accountStats>>;

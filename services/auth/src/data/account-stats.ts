import { withTransaction, type Db } from './db.ts';
import { onlyRow } from './rows.ts';
import { userStatuses, type UserStatus } from './users-repository.ts';

export interface AccountStats {
  /** The database's clock when the snapshot was taken; "today" below is its UTC date. */
  generatedAt: Date;
  total: number;
  byStatus: Record<UserStatus, number>;
  /** Every role in the roles table, with 0 for those nobody holds. */
  byRole: Record<string, number>;
  /** One entry per UTC day, the last `days` days ending today, oldest first, zero-filled. */
  registrations: { date: string; count: number }[];
}

// Accounts per UTC day of creation for the window, grouped in PostgreSQL (the range scan uses
// users_created_at_idx) and joined to a generated calendar so days without accounts answer 0.
const REGISTRATIONS_SQL = `
  WITH window_start AS (
    SELECT (now() AT TIME ZONE 'UTC')::date - ($1::int - 1) AS first_day
  ), per_day AS (
    SELECT (u.created_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS n
    FROM users u, window_start w
    WHERE u.created_at >= (w.first_day::timestamp AT TIME ZONE 'UTC')
    GROUP BY 1
  )
  SELECT to_char(d.day, 'YYYY-MM-DD') AS date, COALESCE(per_day.n, 0) AS count
  FROM window_start w
  -- Whole days added to a date stay dates: no session time zone or DST gets involved.
  CROSS JOIN LATERAL (SELECT w.first_day + i AS day FROM generate_series(0, $1::int - 1) AS i) AS d
  LEFT JOIN per_day ON per_day.day = d.day
  ORDER BY d.day`;

/**
 * Account counts for the admin dashboard. Deleted accounts are gone from `users` (deletion is a
 * hard delete), so nothing here counts them. The four reads share one REPEATABLE READ snapshot,
 * so the totals agree with each other even while accounts are being created.
 */
export function readAccountStats(db: Db, days: number): Promise<AccountStats> {
  return withTransaction(db, async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const totals = await tx.query<{ generated_at: Date; total: number }>(
      'SELECT now() AS generated_at, count(*)::int AS total FROM users',
    );
    const statuses = await tx.query<{ status: UserStatus; n: number }>(
      `SELECT s.status, count(u.id)::int AS n
       FROM unnest($1::text[]) AS s(status) LEFT JOIN users u ON u.status = s.status
       GROUP BY s.status`,
      [[...userStatuses]],
    );
    const roles = await tx.query<{ name: string; n: number }>(
      `SELECT r.name, count(u.id)::int AS n
       FROM roles r LEFT JOIN users u ON u.role = r.name
       GROUP BY r.name ORDER BY r.name`,
    );
    const registrations = await tx.query<{ date: string; count: number }>(REGISTRATIONS_SQL, [
      days,
    ]);
    const { generated_at: generatedAt, total } = onlyRow(totals.rows);
    const byStatus = Object.fromEntries(userStatuses.map((s) => [s, 0])) as Record<
      UserStatus,
      number
    >;
    for (const row of statuses.rows) byStatus[row.status] = row.n;
    return {
      generatedAt,
      total,
      byStatus,
      byRole: Object.fromEntries(roles.rows.map((r) => [r.name, r.n])),
      registrations: registrations.rows,
    };
  });
}

import type { Queryable } from './db.ts';
import type { UserStatus } from './users-repository.ts';

// Serialises every change that could take away an active super admin (see domain/accounts.ts).
const SUPER_ADMIN_GUARD_LOCK = 7_330_101;

/** The admin-side writes on users; reads stay in the users repository. */
export function createAccountsRepository() {
  return {
    async setStatus(db: Queryable, id: string, status: UserStatus): Promise<void> {
      await db.query('UPDATE users SET status = $2, updated_at = now() WHERE id = $1', [
        id,
        status,
      ]);
    },

    async setRole(db: Queryable, id: string, role: string): Promise<void> {
      await db.query('UPDATE users SET role = $2, updated_at = now() WHERE id = $1', [id, role]);
    },

    /** Deletes the user; sessions, one-time tokens, recovery codes and identities cascade. */
    async remove(db: Queryable, id: string): Promise<boolean> {
      const { rowCount } = await db.query('DELETE FROM users WHERE id = $1', [id]);
      return rowCount === 1;
    },

    /**
     * Held until the transaction ends. Taken after the target row is locked and before counting,
     * so two transactions each removing one of the last two super admins run one after the other
     * and the second counts what the first committed.
     */
    async lockSuperAdminGuard(db: Queryable): Promise<void> {
      await db.query('SELECT pg_advisory_xact_lock($1)', [SUPER_ADMIN_GUARD_LOCK]);
    },

    async countActiveWithRole(db: Queryable, role: string, exceptId: string): Promise<number> {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM users WHERE role = $1 AND status = 'active' AND id <> $2`,
        [role, exceptId],
      );
      return rows[0]?.n ?? 0;
    },
  };
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;

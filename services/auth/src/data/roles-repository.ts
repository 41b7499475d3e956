import type { Queryable } from './db.ts';

export interface RoleRecord {
  name: string;
  description: string;
  permissions: string[];
  isSystem: boolean;
}

export interface RoleSummary extends RoleRecord {
  userCount: number;
}

interface RoleRow {
  name: string;
  description: string;
  permissions: string[];
  is_system: boolean;
}

const toRole = (row: RoleRow): RoleRecord => ({
  name: row.name,
  description: row.description,
  permissions: row.permissions,
  isSystem: row.is_system,
});

/** Row lock to take when reading a role: `update` before changing it, `share` before assigning it. */
export type RoleLock = 'none' | 'share' | 'update';

const lockClause: Record<RoleLock, string> = {
  none: '',
  share: ' FOR SHARE',
  update: ' FOR UPDATE',
};

export function createRolesRepository() {
  return {
    async list(db: Queryable): Promise<RoleSummary[]> {
      const { rows } = await db.query<RoleRow & { user_count: number }>(
        `SELECT r.name, r.description, r.permissions, r.is_system, count(u.id)::int AS user_count
         FROM roles r LEFT JOIN users u ON u.role = r.name
         GROUP BY r.name ORDER BY r.is_system DESC, r.name`,
      );
      return rows.map((row) => ({ ...toRole(row), userCount: row.user_count }));
    },

    async find(
      db: Queryable,
      name: string,
      lock: RoleLock = 'none',
    ): Promise<RoleRecord | undefined> {
      const { rows } = await db.query<RoleRow>(
        `SELECT name, description, permissions, is_system FROM roles WHERE name = $1${lockClause[lock]}`,
        [name],
      );
      return rows[0] && toRole(rows[0]);
    },

    /** Inserts a custom role; undefined when the name is taken. */
    async insert(
      db: Queryable,
      role: { name: string; description: string; permissions: readonly string[] },
    ): Promise<RoleRecord | undefined> {
      const { rows } = await db.query<RoleRow>(
        `INSERT INTO roles (name, description, permissions, is_system) VALUES ($1, $2, $3, false)
         ON CONFLICT (name) DO NOTHING
         RETURNING name, description, permissions, is_system`,
        [role.name, role.description, [...role.permissions]],
      );
      return rows[0] && toRole(rows[0]);
    },

    async update(
      db: Queryable,
      name: string,
      change: { description: string; permissions: readonly string[] },
    ): Promise<RoleRecord> {
      const { rows } = await db.query<RoleRow>(
        `UPDATE roles SET description = $2, permissions = $3, updated_at = now() WHERE name = $1
         RETURNING name, description, permissions, is_system`,
        [name, change.description, [...change.permissions]],
      );
      const row = rows[0];
      if (!row) throw new Error(`role ${name} vanished while locked for update`);
      return toRole(row);
    },

    async remove(db: Queryable, name: string): Promise<boolean> {
      const { rowCount } = await db.query('DELETE FROM roles WHERE name = $1', [name]);
      return rowCount === 1;
    },

    /** The permissions a role grants; none for a role that does not exist. */
    async permissionsOf(db: Queryable, name: string): Promise<string[]> {
      const { rows } = await db.query<{ permissions: string[] }>(
        'SELECT permissions FROM roles WHERE name = $1',
        [name],
      );
      return rows[0]?.permissions ?? [];
    },

    async countUsers(db: Queryable, name: string): Promise<number> {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM users WHERE role = $1',
        [name],
      );
      return rows[0]?.n ?? 0;
    },
  };
}

export type RolesRepository = ReturnType<typeof createRolesRepository>;

import { hashPassword } from '../domain/passwords.ts';
import { systemRoles } from '../domain/permissions.ts';
import { withTransaction, type Db, type Queryable } from './db.ts';
import { demoUsers } from './demo-users.ts';
import { appendEvent } from './outbox.ts';
import { createUsersRepository, normalizeEmail, publicUser } from './users-repository.ts';

/** Reference data every installation needs: adds missing system roles, never overwrites edits. */
export async function ensureSystemRoles(db: Queryable): Promise<void> {
  for (const role of systemRoles) {
    await db.query(
      `INSERT INTO roles (name, description, permissions, is_system) VALUES ($1, $2, $3, true)
       ON CONFLICT (name) DO NOTHING`,
      [role.name, role.description, [...role.permissions]],
    );
  }
}

/**
 * The demo users (development and demo only). Idempotent: existing users are left alone. Each new
 * user goes through the outbox like a registration, so the profile service creates their profile.
 */
export async function seedDemoUsers(db: Db, nodeEnv: string): Promise<string[]> {
  if (nodeEnv === 'production')
    throw new Error('demo users are never seeded when NODE_ENV=production');
  await ensureSystemRoles(db);
  const users = createUsersRepository();
  const created: string[] = [];
  for (const demo of demoUsers) {
    if (await users.findByEmail(db, demo.email)) continue;
    const passwordHash = await hashPassword(demo.password);
    await withTransaction(db, async (tx) => {
      const user = await users.insert(tx, { ...demo, passwordHash, emailVerified: true });
      await appendEvent(tx, {
        type: 'user.registered',
        aggregateId: user.id,
        actorId: 'system',
        data: { user: publicUser(user), source: 'seed' },
      });
    });
    created.push(demo.email);
  }
  return created;
}

export async function rollbackDemoUsers(db: Db): Promise<string[]> {
  const removed: string[] = [];
  for (const demo of demoUsers) {
    await withTransaction(db, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        'DELETE FROM users WHERE email_normalized = $1 RETURNING id',
        [normalizeEmail(demo.email)],
      );
      const id = rows[0]?.id;
      if (!id) return;
      await appendEvent(tx, {
        type: 'user.deleted',
        aggregateId: id,
        actorId: 'system',
        data: { userId: id, source: 'seed:rollback' },
      });
      removed.push(demo.email);
    });
  }
  return removed;
}

// Fixtures for the admin API tests: accounts with tokens issued directly (no login route needed),
// custom roles, and outbox reads. Test-only; nothing in the service imports this file.
import { randomBytes } from 'node:crypto';
import type { UserRecord } from '../data/users-repository.ts';
import type { TestAuth } from './harness.ts';
import { permissions } from '../domain/permissions.ts';

export interface TestAccount {
  user: UserRecord;
  token: string;
  refreshToken: string;
  auth: { Authorization: string };
}

/** A user with the given role and a live session (refresh token row plus access token). */
export async function createAccount(t: TestAuth, role = 'user'): Promise<TestAccount> {
  const user = await t.container.users.insert(t.container.db, {
    email: `${role}-${randomBytes(5).toString('hex')}@example.test`,
    passwordHash: null,
    role,
    emailVerified: true,
  });
  const pair = await t.container.sessions.issue(t.container.db, user, {
    ip: '127.0.0.1',
    userAgent: 'test',
  });
  return {
    user,
    token: pair.accessToken,
    refreshToken: pair.refreshToken,
    auth: { Authorization: `Bearer ${pair.accessToken}` },
  };
}

/** A custom role written straight to the table (the role API is tested on its own). */
export async function createRole(
  t: TestAuth,
  name: string,
  permissions: readonly string[],
): Promise<void> {
  await t.container.db.query(
    'INSERT INTO roles (name, description, permissions) VALUES ($1, $2, $3)',
    [name, 'test role', [...permissions]],
  );
}

export interface StoredEvent {
  type: string;
  aggregate_id: string;
  payload: {
    actorId: string | null;
    requestId: string | null;
    ip: string | null;
    data: Record<string, unknown>;
  };
}

export async function eventsOf(
  t: TestAuth,
  type: string,
  aggregateId?: string,
): Promise<StoredEvent[]> {
  const { rows } = await t.container.db.query<StoredEvent>(
    'SELECT type, aggregate_id, payload FROM outbox WHERE type = $1 AND ($2::text IS NULL OR aggregate_id = $2) ORDER BY id',
    [type, aggregateId ?? null],
  );
  return rows;
}

export async function statusOf(
  t: TestAuth,
  id: string,
): Promise<{ status: string; role: string } | undefined> {
  const { rows } = await t.container.db.query<{ status: string; role: string }>(
    'SELECT status, role FROM users WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** Live (unrevoked) refresh token rows of a user. */
export async function liveSessions(t: TestAuth, userId: string): Promise<number> {
  const { rows } = await t.container.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
    [userId],
  );
  return rows[0]?.n ?? 0;
}

/**
 * A role holding every permission without being super_admin: the only kind of caller who may act
 * on super admins and is still not covered by the self-demotion and last-super-admin rules.
 */
export const ROOT_LIKE = 'root_like';
export async function createRootLikeRole(t: TestAuth): Promise<void> {
  await createRole(t, ROOT_LIKE, permissions);
}

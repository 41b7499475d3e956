import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  createAccount,
  createRole,
  createRootLikeRole,
  ROOT_LIKE,
  eventsOf,
  liveSessions,
  statusOf,
  type TestAccount,
} from '../test/admin-test-support.ts';
import { createTestAuth, type TestAuth } from '../test/harness.ts';

describe('account rules: last super admin, delete, unlock, revoke sessions', () => {
  let t: TestAuth;
  let root: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    t = await createTestAuth();
    await createRootLikeRole(t);
    root = await createAccount(t, ROOT_LIKE);
    admin = await createAccount(t, 'admin');
  });
  afterAll(async () => t.close());

  const api = () => request(t.app);
  const url = (id: string, tail = '') => `/api/v1/accounts/${id}${tail}`;

  async function activeSuperAdmins(): Promise<string[]> {
    const { rows } = await t.container.db.query<{ id: string }>(
      "SELECT id FROM users WHERE role = 'super_admin' AND status = 'active'",
    );
    return rows.map((r) => r.id);
  }

  /** Leaves exactly the given accounts as the active super admins. */
  async function onlySuperAdmins(...keep: TestAccount[]): Promise<void> {
    await t.container.db.query(
      "UPDATE users SET status = 'inactive' WHERE role = 'super_admin' AND NOT (id = ANY($1::uuid[]))",
      [keep.map((a) => a.user.id)],
    );
  }

  describe('the last active super admin', () => {
    it.each([
      ['suspend', { status: 'suspended' }],
      ['deactivate', { status: 'inactive' }],
      ['demote', { role: 'admin' }],
    ])(
      'when someone tries to %s the last one, then 409 account.last_super_admin and nothing changes',
      async (_name, body) => {
        const last = await createAccount(t, 'super_admin');
        await onlySuperAdmins(last);
        const res = await api().patch(url(last.user.id)).set(root.auth).send(body).expect(409);
        expect(res.body.code).toBe('account.last_super_admin');
        expect(await statusOf(t, last.user.id)).toEqual({ status: 'active', role: 'super_admin' });
        expect(await liveSessions(t, last.user.id)).toBe(1);
      },
    );

    it('when someone tries to delete the last one, then 409 and the account stays', async () => {
      const last = await createAccount(t, 'super_admin');
      await onlySuperAdmins(last);
      const res = await api().delete(url(last.user.id)).set(root.auth).expect(409);
      expect(res.body.code).toBe('account.last_super_admin');
      expect(await statusOf(t, last.user.id)).toBeDefined();
    });

    it('when another active super admin remains, then the change goes through', async () => {
      const first = await createAccount(t, 'super_admin');
      const second = await createAccount(t, 'super_admin');
      await onlySuperAdmins(first, second);
      await api()
        .patch(url(first.user.id))
        .set(root.auth)
        .send({ status: 'suspended' })
        .expect(200);
      expect(await activeSuperAdmins()).toEqual([second.user.id]);
    });

    it('when the last two are suspended at the same moment, then exactly one succeeds and one stays active', async () => {
      for (let round = 0; round < 5; round++) {
        const a = await createAccount(t, 'super_admin');
        const b = await createAccount(t, 'super_admin');
        await onlySuperAdmins(a, b);
        const answers = await Promise.all([
          api().patch(url(a.user.id)).set(root.auth).send({ status: 'suspended' }),
          api().delete(url(b.user.id)).set(root.auth),
        ]);
        expect(answers.map((r) => r.status).sort()).toEqual(expect.arrayContaining([409]));
        expect(answers.filter((r) => r.status < 300)).toHaveLength(1);
        expect(await activeSuperAdmins()).toHaveLength(1);
      }
    });

    it('when a suspended super admin is deleted while another is active, then it works (only active ones count)', async () => {
      const active = await createAccount(t, 'super_admin');
      const suspended = await createAccount(t, 'super_admin');
      await onlySuperAdmins(active);
      await api().delete(url(suspended.user.id)).set(root.auth).expect(204);
    });
  });

  describe('delete', () => {
    it('when an admin deletes a user, then the user and their sessions are gone and user.deleted is emitted', async () => {
      const target = await createAccount(t);
      await api()
        .delete(url(target.user.id))
        .set(admin.auth)
        .set('X-Request-Id', 'delete-req-0001')
        .expect(204);
      expect(await statusOf(t, target.user.id)).toBeUndefined();
      const { rows } = await t.container.db.query(
        'SELECT 1 FROM refresh_tokens WHERE user_id = $1',
        [target.user.id],
      );
      expect(rows).toHaveLength(0);
      const [event] = await eventsOf(t, 'user.deleted', target.user.id);
      expect(event?.payload).toMatchObject({
        actorId: admin.user.id,
        requestId: 'delete-req-0001',
        data: { userId: target.user.id },
      });
      await api().delete(url(target.user.id)).set(admin.auth).expect(404);
    });

    it('when the caller has users:write but not users:delete, then 403 and the user stays', async () => {
      await createRole(t, 'editor', ['users:read', 'users:write']);
      const editor = await createAccount(t, 'editor');
      const target = await createAccount(t);
      await api().delete(url(target.user.id)).set(editor.auth).expect(403);
      expect(await statusOf(t, target.user.id)).toBeDefined();
    });
  });

  describe('unlock', () => {
    it('when an admin unlocks a locked account, then the lock and counters are cleared and auth.unlocked is emitted', async () => {
      const target = await createAccount(t);
      await t.container.db.query(
        "UPDATE users SET failed_login_count = 5, lockout_count = 2, locked_until = now() + interval '1 hour' WHERE id = $1",
        [target.user.id],
      );
      const before = await api().get(url(target.user.id)).set(admin.auth).expect(200);
      expect(before.body).toMatchObject({ locked: true, failedLoginCount: 5 });
      const res = await api().post(url(target.user.id, '/unlock')).set(admin.auth).expect(200);
      expect(res.body).toMatchObject({ locked: false, lockedUntil: null, failedLoginCount: 0 });
      const { rows } = await t.container.db.query('SELECT lockout_count FROM users WHERE id = $1', [
        target.user.id,
      ]);
      expect(rows[0]).toEqual({ lockout_count: 0 });
      const [event] = await eventsOf(t, 'auth.unlocked', target.user.id);
      expect(event?.payload).toMatchObject({
        actorId: admin.user.id,
        data: { userId: target.user.id, wasLocked: true },
      });
    });

    it('when the account does not exist, then 404', async () => {
      const res = await api().post(url(randomUUID(), '/unlock')).set(admin.auth).expect(404);
      expect(res.body.code).toBe('account.not_found');
    });
  });

  describe('revoke sessions', () => {
    it('when an admin revokes a user sessions, then every refresh token is revoked and the count is returned', async () => {
      const target = await createAccount(t);
      await t.container.sessions.issue(t.container.db, target.user, {
        ip: '10.0.0.2',
        userAgent: 'phone',
      });
      const res = await api()
        .post(url(target.user.id, '/revoke-sessions'))
        .set(admin.auth)
        .expect(200);
      expect(res.body).toEqual({ revokedSessions: 2 });
      expect(await liveSessions(t, target.user.id)).toBe(0);
      const [event] = await eventsOf(t, 'user.sessions_revoked', target.user.id);
      expect(event?.payload).toMatchObject({
        actorId: admin.user.id,
        data: { reason: 'admin_revoked', count: 2 },
      });
    });

    it('when the account does not exist, then 404', async () => {
      await api().post(url(randomUUID(), '/revoke-sessions')).set(admin.auth).expect(404);
    });

    it('when an admin revokes a super admin sessions, alone or in bulk, then 403 account.protected_target and they live on; a super admin may', async () => {
      const target = await createAccount(t, 'super_admin');
      const superAdmin = await createAccount(t, 'super_admin');
      await t.container.sessions.issue(t.container.db, target.user, {
        ip: '10.0.0.3',
        userAgent: 'x',
      });
      const res = await api()
        .post(url(target.user.id, '/revoke-sessions'))
        .set(admin.auth)
        .expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 403, code: 'account.protected_target' });
      const bulk = await api()
        .post('/api/v1/accounts/bulk')
        .set(admin.auth)
        .send({ ids: [target.user.id], action: 'revoke_sessions' })
        .expect(200);
      expect(bulk.body.results).toEqual([
        { id: target.user.id, ok: false, code: 'account.protected_target' },
      ]);
      expect(await liveSessions(t, target.user.id)).toBe(2);
      expect(await eventsOf(t, 'user.sessions_revoked', target.user.id)).toEqual([]);
      const denials = await eventsOf(t, 'auth.access_denied', admin.user.id);
      expect(denials.map((e) => e.payload.data)).toEqual(
        ['revoke_sessions', 'bulk.revoke_sessions'].map((action) =>
          expect.objectContaining({
            targetId: target.user.id,
            action,
            code: 'account.protected_target',
          }),
        ),
      );

      const allowed = await api()
        .post(url(target.user.id, '/revoke-sessions'))
        .set(superAdmin.auth)
        .expect(200);
      expect(allowed.body).toEqual({ revokedSessions: 2 });
      expect(await liveSessions(t, target.user.id)).toBe(0);
      for (const account of [target, superAdmin]) {
        await api().delete(url(account.user.id)).set(root.auth).expect(204);
      }
    });
  });
});

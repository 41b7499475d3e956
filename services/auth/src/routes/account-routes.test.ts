import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import {
  createAccount,
  createRootLikeRole,
  eventsOf,
  liveSessions,
  statusOf,
  type TestAccount,
} from '../test/admin-test-support.ts';

describe('admin account routes', () => {
  let t: TestAuth;
  let superAdmin: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    t = await createTestAuth();
    superAdmin = await createAccount(t, 'super_admin');
    admin = await createAccount(t, 'admin');
    await createRootLikeRole(t);
  });
  afterAll(async () => t.close());

  const api = () => request(t.app);
  const url = (id: string, tail = '') => `/api/v1/accounts/${id}${tail}`;

  describe('reading', () => {
    it('when an admin reads an account, then it has the lockout state and no hash or secret', async () => {
      const target = await createAccount(t);
      await t.container.db.query(
        "UPDATE users SET password_hash = '$argon2id$fake', mfa_secret_enc = 'sealed', failed_login_count = 3 WHERE id = $1",
        [target.user.id],
      );
      const res = await api().get(url(target.user.id)).set(admin.auth).expect(200);
      expect(res.body).toMatchObject({
        id: target.user.id,
        email: target.user.email,
        role: 'user',
        status: 'active',
      });
      expect(res.body).toMatchObject({ failedLoginCount: 3, lockedUntil: null, locked: false });
      expect(JSON.stringify(res.body)).not.toMatch(
        /argon2|sealed|passwordHash|password_hash|mfaSecret/,
      );
    });

    it('when the id is unknown, then 404 account.not_found; when malformed, then 400', async () => {
      const res = await api().get(url(randomUUID())).set(admin.auth).expect(404);
      expect(res.body.code).toBe('account.not_found');
      const bad = await api().get(url('not-a-uuid')).set(admin.auth).expect(400);
      expect(bad.body.code).toBe('request.validation_failed');
    });
  });

  describe('user A against user B (id swapping)', () => {
    it('when a plain user reads, changes, deletes, unlocks or logs out another user, then 403 and B is untouched', async () => {
      const a = await createAccount(t);
      const b = await createAccount(t);
      const calls = [
        api().get(url(b.user.id)),
        api().patch(url(b.user.id)).send({ status: 'suspended' }),
        api().patch(url(b.user.id)).send({ role: 'super_admin' }),
        api().delete(url(b.user.id)),
        api().post(url(b.user.id, '/unlock')),
        api().post(url(b.user.id, '/revoke-sessions')),
        // Their own account is no different: self-service lives under /api/v1/auth.
        api().patch(url(a.user.id)).send({ role: 'super_admin' }),
      ];
      for (const call of calls) {
        const res = await call.set(a.auth).expect(403);
        expect(res.body.code).toBe('auth.forbidden');
        expect(JSON.stringify(res.body)).not.toContain(b.user.email);
      }
      expect(await statusOf(t, b.user.id)).toEqual({ status: 'active', role: 'user' });
      expect(await statusOf(t, a.user.id)).toEqual({ status: 'active', role: 'user' });
      expect(await liveSessions(t, b.user.id)).toBe(1);
    });

    it('when a call is denied, then auth.access_denied is audited with actor, route, address and request id', async () => {
      const a = await createAccount(t);
      const res = await api()
        .delete(url(randomUUID()))
        .set(a.auth)
        .set('X-Request-Id', 'denied-req-0001')
        .expect(403);
      expect(res.body.requestId).toBe('denied-req-0001');
      const [event] = await eventsOf(t, 'auth.access_denied', a.user.id);
      expect(event?.payload).toMatchObject({
        actorId: a.user.id,
        requestId: 'denied-req-0001',
        ip: expect.any(String),
        data: { method: 'DELETE', path: '/api/v1/accounts/:id', permission: 'users:delete' },
      });
    });
  });

  describe('mass assignment', () => {
    it.each([
      [{ passwordHash: 'x' }],
      [{ emailVerified: true }],
      [{ mfaEnabled: false }],
      [{ failedLoginCount: 0 }],
      [{ lockedUntil: null }],
      [{ email: 'other@example.test' }],
      [{ status: 'active', mfaSecretEnc: null }],
      [{}],
      [{ status: 'banned' }],
    ])('when PATCH carries %j, then 400 and nothing changes', async (body) => {
      const target = await createAccount(t);
      const before = await t.container.users.findById(t.container.db, target.user.id);
      const res = await api().patch(url(target.user.id)).set(admin.auth).send(body).expect(400);
      expect(res.body.code).toBe('request.validation_failed');
      expect(await t.container.users.findById(t.container.db, target.user.id)).toEqual(before);
    });
  });

  describe('status and role changes', () => {
    it('when an admin suspends a user, then every session is revoked and the change is audited in the outbox', async () => {
      const target = await createAccount(t);
      await t.container.sessions.issue(t.container.db, target.user, {
        ip: '127.0.0.1',
        userAgent: 'second device',
      });
      const res = await api()
        .patch(url(target.user.id))
        .set(admin.auth)
        .set('X-Request-Id', 'suspend-req-0001')
        .send({ status: 'suspended' })
        .expect(200);
      expect(res.body.status).toBe('suspended');
      expect(await liveSessions(t, target.user.id)).toBe(0);
      const { rows } = await t.container.db.query(
        'SELECT DISTINCT revoked_reason FROM refresh_tokens WHERE user_id = $1',
        [target.user.id],
      );
      expect(rows).toEqual([{ revoked_reason: 'suspended' }]);
      const [event] = await eventsOf(t, 'user.status_changed', target.user.id);
      expect(event?.payload).toMatchObject({
        actorId: admin.user.id,
        requestId: 'suspend-req-0001',
        ip: expect.any(String),
        data: { from: 'active', to: 'suspended', sessionsRevoked: 2 },
      });
      // The refresh token now fails, while an untouched user's still works (the control).
      const control = await createAccount(t);
      await api()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: control.refreshToken })
        .expect(200);
      await api()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: target.refreshToken })
        .expect(401);
    });

    it('when an admin is suspended, then their still-valid access token no longer passes permission checks', async () => {
      const other = await createAccount(t, 'admin');
      await api()
        .patch(url(other.user.id))
        .set(superAdmin.auth)
        .send({ status: 'inactive' })
        .expect(200);
      const res = await api().get(url(admin.user.id)).set(other.auth).expect(403);
      expect(res.body.code).toBe('auth.forbidden');
    });

    it('when an admin changes a user role to admin, then user.role_changed is in the outbox', async () => {
      const target = await createAccount(t);
      const res = await api()
        .patch(url(target.user.id))
        .set(admin.auth)
        .send({ role: 'admin' })
        .expect(200);
      expect(res.body.role).toBe('admin');
      const [event] = await eventsOf(t, 'user.role_changed', target.user.id);
      expect(event?.payload).toMatchObject({
        actorId: admin.user.id,
        data: { from: 'user', to: 'admin' },
      });
    });

    it('when an admin (no roles:manage) grants super_admin, then 403 account.role_not_grantable and it is audited', async () => {
      const target = await createAccount(t);
      const res = await api()
        .patch(url(target.user.id))
        .set(admin.auth)
        .send({ role: 'super_admin' })
        .expect(403);
      expect(res.body.code).toBe('account.role_not_grantable');
      expect((await statusOf(t, target.user.id))?.role).toBe('user');
      const denied = await eventsOf(t, 'auth.access_denied', admin.user.id);
      expect(
        denied.some(
          (e) =>
            e.payload.data.targetId === target.user.id &&
            e.payload.data.code === 'account.role_not_grantable',
        ),
      ).toBe(true);
    });

    it('when a super admin grants super_admin, then it is granted', async () => {
      const target = await createAccount(t);
      await api()
        .patch(url(target.user.id))
        .set(superAdmin.auth)
        .send({ role: 'super_admin' })
        .expect(200);
      expect((await statusOf(t, target.user.id))?.role).toBe('super_admin');
      await api()
        .patch(url(target.user.id))
        .set(superAdmin.auth)
        .send({ role: 'user' })
        .expect(200);
    });

    it('when an admin suspends, demotes or deletes a super admin, then 403 account.protected_target', async () => {
      const target = await createAccount(t, 'super_admin');
      for (const call of [
        api().patch(url(target.user.id)).send({ status: 'suspended' }),
        api().patch(url(target.user.id)).send({ role: 'user' }),
        api().delete(url(target.user.id)),
      ]) {
        const res = await call.set(admin.auth).expect(403);
        expect(res.body.code).toBe('account.protected_target');
      }
      expect(await statusOf(t, target.user.id)).toEqual({ status: 'active', role: 'super_admin' });
      await api().delete(url(target.user.id)).set(superAdmin.auth).expect(204);
    });

    it('when the role does not exist, then 400 account.unknown_role', async () => {
      const target = await createAccount(t);
      const res = await api()
        .patch(url(target.user.id))
        .set(superAdmin.auth)
        .send({ role: 'no_such_role' })
        .expect(400);
      expect(res.body.code).toBe('account.unknown_role');
    });
  });

  describe('own admin rights', () => {
    it('when an admin changes their own role or status or deletes themself, then 403 and nothing changes', async () => {
      for (const [call, code] of [
        [api().patch(url(superAdmin.user.id)).send({ role: 'admin' }), 'account.self_demotion'],
        [
          api().patch(url(superAdmin.user.id)).send({ status: 'suspended' }),
          'account.self_demotion',
        ],
        [
          api().patch(url(superAdmin.user.id)).send({ status: 'inactive' }),
          'account.self_demotion',
        ],
        [api().delete(url(superAdmin.user.id)), 'account.self_deletion'],
      ] as const) {
        const res = await call.set(superAdmin.auth).expect(403);
        expect(res.body.code).toBe(code);
      }
      expect(await statusOf(t, superAdmin.user.id)).toEqual({
        status: 'active',
        role: 'super_admin',
      });
    });
  });
});

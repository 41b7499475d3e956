import request from 'supertest';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import { createAccount, eventsOf, liveSessions, statusOf } from '../test/admin-test-support.ts';
import { behindProxy, createUser, nextIp, post } from '../test/auth-test-support.ts';

const PATH = '/api/v1/auth/me';
const COOKIE = '__Host-ums_refresh';

describe('DELETE /api/v1/auth/me', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth(behindProxy);
  });
  afterAll(async () => t.close());

  // As an API client: the refresh token is used directly below.
  const login = (email: string, password: string, ip = nextIp()) =>
    post(t, '/api/v1/auth/login', { email, password, refreshTokenDelivery: 'body' }, { ip });
  const remove = (token: string, body?: object, ip = nextIp()) => {
    const req = request(t.app)
      .delete(PATH)
      .set('X-Forwarded-For', ip)
      .set('Authorization', `Bearer ${token}`);
    return body === undefined ? req : req.send(body);
  };

  /** A password account signed in through the login route (a session and a refresh cookie). */
  async function passwordAccount() {
    const { user, email, password } = await createUser(t);
    const res = await login(email, password).expect(200);
    return {
      user,
      email,
      password,
      accessToken: res.body.accessToken as string,
      refreshToken: res.body.refreshToken as string,
    };
  }

  const failedChecks = async (userId: string) =>
    (await eventsOf(t, 'auth.login_failed', userId)).filter(
      (e) => e.payload.data.method === 'account_deletion',
    ).length;

  describe('a password account', () => {
    it('when the password is right, then 204, the cookie is cleared, the account and sessions are gone and user.deleted is in the outbox', async () => {
      const me = await passwordAccount();
      const res = await remove(me.accessToken, { password: me.password })
        .set('X-Request-Id', 'self-delete-0001')
        .expect(204);
      expect(res.text).toBe('');
      expect(String(res.headers['set-cookie'])).toMatch(new RegExp(`^${COOKIE}=;`));

      expect(await statusOf(t, me.user.id)).toBeUndefined();
      const { rows } = await t.container.db.query(
        'SELECT 1 FROM refresh_tokens WHERE user_id = $1',
        [me.user.id],
      );
      expect(rows).toHaveLength(0);
      const deleted = await eventsOf(t, 'user.deleted', me.user.id);
      expect(deleted).toHaveLength(1);
      expect(deleted[0]?.payload).toMatchObject({
        actorId: me.user.id,
        requestId: 'self-delete-0001',
        data: { userId: me.user.id, initiatedBy: 'self' },
      });
      // No snapshot: the profile service erases by the aggregate id.
      expect(deleted[0]?.payload.data).not.toHaveProperty('user');

      const again = await login(me.email, me.password).expect(401);
      expect(again.body.code).toBe('auth.invalid_credentials');
      await post(t, '/api/v1/auth/refresh', { refreshToken: me.refreshToken }).expect(401);
      await request(t.app).get(PATH).auth(me.accessToken, { type: 'bearer' }).expect(401);
      await remove(me.accessToken, { password: me.password }).expect(401);
    });

    it('when the password is wrong, missing or replaced by the email, then 403 and nothing is deleted; only a wrong one counts as a failure', async () => {
      const me = await passwordAccount();
      for (const body of [{ password: 'not my password at all' }, {}, { confirmEmail: me.email }]) {
        const res = await remove(me.accessToken, body).expect(403);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.code).toBe('auth.invalid_current_password');
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      const noBody = await remove(me.accessToken).expect(403);
      expect(noBody.body.code).toBe('auth.invalid_current_password');

      expect(await statusOf(t, me.user.id)).toEqual({ status: 'active', role: 'user' });
      expect(await liveSessions(t, me.user.id)).toBe(1);
      expect(await eventsOf(t, 'user.deleted', me.user.id)).toHaveLength(0);
      expect(await failedChecks(me.user.id)).toBe(1);
      const { rows } = await t.container.db.query<{ n: number }>(
        'SELECT failed_login_count AS n FROM users WHERE id = $1',
        [me.user.id],
      );
      expect(rows[0]?.n).toBe(1);
    });

    it.each([
      ['an unknown field', { password: 'x', extra: true }],
      ['both confirmations', { password: 'x', confirmEmail: 'a@example.com' }],
      ['a password that is not a string', { password: 12345678 }],
      ['an over-long password', { password: 'p'.repeat(5000) }],
      ['an array body', [{ password: 'x' }]],
    ])('when the body has %s, then 400 problem+json and nothing changes', async (_case, body) => {
      const me = await passwordAccount();
      const res = await remove(me.accessToken, body as object).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('request.validation_failed');
      expect(await statusOf(t, me.user.id)).toEqual({ status: 'active', role: 'user' });
      expect(await liveSessions(t, me.user.id)).toBe(1);
      expect(await failedChecks(me.user.id)).toBe(0);
    });

    it('when wrong passwords keep coming, then the account locks (even the right one is refused) and after 10 the answer is 429 with Retry-After', async () => {
      const me = await passwordAccount();
      for (let i = 0; i < 5; i++)
        await remove(me.accessToken, { password: `wrong password ${i}` }).expect(403);
      // Locked now (LOCKOUT_THRESHOLD 5): deletion is no way around the sign-in defences.
      const locked = await remove(me.accessToken, { password: me.password }).expect(403);
      expect(locked.body.code).toBe('auth.invalid_current_password');
      for (let i = 0; i < 4; i++)
        await remove(me.accessToken, { password: `wrong again ${i}` }).expect(403);
      const throttled = await remove(me.accessToken, { password: me.password }).expect(429);
      expect(throttled.body.code).toBe('auth.too_many_attempts');
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(await statusOf(t, me.user.id)).toEqual({ status: 'active', role: 'user' });
      expect(await failedChecks(me.user.id)).toBe(10);
    });
  });

  describe('an account without a password (OIDC sign-in only)', () => {
    it('when the typed email is wrong, missing or a password is sent instead, then 403 and the account stays', async () => {
      const me = await createAccount(t);
      for (const body of [
        { confirmEmail: 'someone.else@example.test' },
        {},
        { password: 'a password it never had' },
      ]) {
        const res = await remove(me.token, body).expect(403);
        expect(res.body.code).toBe('auth.invalid_current_password');
      }
      expect(await statusOf(t, me.user.id)).toEqual({ status: 'active', role: 'user' });
    });

    it('when the account email is typed (in any case), then 204 and user.deleted is in the outbox', async () => {
      const me = await createAccount(t);
      await remove(me.token, { confirmEmail: ` ${me.user.email.toUpperCase()} ` }).expect(204);
      expect(await statusOf(t, me.user.id)).toBeUndefined();
      const [event] = await eventsOf(t, 'user.deleted', me.user.id);
      expect(event?.payload).toMatchObject({
        actorId: me.user.id,
        data: { userId: me.user.id, initiatedBy: 'self' },
      });
    });
  });

  describe('guards', () => {
    it('when the caller is the last active super admin, then 409 account.last_super_admin; with a second one, then 204', async () => {
      const first = await createAccount(t, 'super_admin');
      const confirm = (who: typeof first) => ({ confirmEmail: who.user.email });
      const refused = await remove(first.token, confirm(first)).expect(409);
      expect(refused.body.code).toBe('account.last_super_admin');
      expect(await statusOf(t, first.user.id)).toEqual({ status: 'active', role: 'super_admin' });
      expect(await eventsOf(t, 'user.deleted', first.user.id)).toHaveLength(0);

      const second = await createAccount(t, 'super_admin');
      await remove(first.token, confirm(first)).expect(204);
      const last = await remove(second.token, confirm(second)).expect(409);
      expect(last.body.code).toBe('account.last_super_admin');
      expect(await statusOf(t, second.user.id)).toEqual({ status: 'active', role: 'super_admin' });
    });

    it('when the account is suspended (its access token still valid), then 403 account.not_active', async () => {
      const me = await createAccount(t);
      await t.container.db.query("UPDATE users SET status = 'suspended' WHERE id = $1", [
        me.user.id,
      ]);
      const res = await remove(me.token, { confirmEmail: me.user.email }).expect(403);
      expect(res.body.code).toBe('account.not_active');
      expect(await statusOf(t, me.user.id)).toEqual({ status: 'suspended', role: 'user' });
    });

    it('when nobody is signed in or the token is forged, then 401 and nothing is deleted', async () => {
      const me = await createAccount(t);
      const anonymous = await request(t.app)
        .delete(PATH)
        .send({ confirmEmail: me.user.email })
        .expect(401);
      expect(anonymous.body.code).toBe('auth.invalid_token');
      await remove(`${me.token}x`, { confirmEmail: me.user.email }).expect(401);
      expect(await statusOf(t, me.user.id)).toEqual({ status: 'active', role: 'user' });
    });
  });
});

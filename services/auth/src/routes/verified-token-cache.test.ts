import request from 'supertest';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import { createAccount } from '../test/admin-test-support.ts';
import { createVerifiedTokenCache } from './access-control.ts';

const entry = (n: number, expiresAt: number) => ({
  principal: { userId: `u${n}`, role: 'user', permissions: [], sessionId: `s${n}` },
  kid: 'k',
  expiresAt,
});

describe('the verified access-token cache (unit)', () => {
  it('when full, then the least recently used entry goes first', () => {
    const cache = createVerifiedTokenCache(2);
    const later = Date.now() + 60_000;
    cache.set('a', entry(1, later));
    cache.set('b', entry(2, later));
    expect(cache.get('a')?.principal.userId).toBe('u1'); // a is now the most recent
    cache.set('c', entry(3, later));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('when a token reaches its exp, then its entry is gone', () => {
    const cache = createVerifiedTokenCache(10);
    const now = Date.now();
    cache.set('a', entry(1, now + 1_000));
    expect(cache.get('a', now + 999)).toBeDefined();
    expect(cache.get('a', now + 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

describe('a remembered access token changes nothing that is decided per request', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  const api = () => request(t.app);
  const accountUrl = (id: string) => `/api/v1/accounts/${id}`;

  it('when an admin whose token was just accepted is suspended, then the next call is refused at once', async () => {
    const admin = await createAccount(t, 'admin');
    const target = await createAccount(t);
    const superAdmin = await createAccount(t, 'super_admin');
    await api().get(accountUrl(target.user.id)).set(admin.auth).expect(200);
    await api().get(accountUrl(target.user.id)).set(admin.auth).expect(200); // a cache hit
    await api()
      .patch(accountUrl(admin.user.id))
      .set(superAdmin.auth)
      .send({ status: 'suspended' })
      .expect(200);
    const res = await api().get(accountUrl(target.user.id)).set(admin.auth).expect(403);
    expect(res.body.code).toBe('auth.forbidden');
    const me = await api().get('/api/v1/auth/me').set(admin.auth).expect(200);
    expect(me.body.status).toBe('suspended');
  });

  it('when the role of a caller with a remembered token changes, then permission checks and /me follow at once', async () => {
    const admin = await createAccount(t, 'admin');
    const target = await createAccount(t);
    const superAdmin = await createAccount(t, 'super_admin');
    await api().get(accountUrl(target.user.id)).set(admin.auth).expect(200);
    expect((await api().get('/api/v1/auth/me').set(admin.auth)).body.role).toBe('admin');
    await api()
      .patch(accountUrl(admin.user.id))
      .set(superAdmin.auth)
      .send({ role: 'user' })
      .expect(200);
    await api().get(accountUrl(target.user.id)).set(admin.auth).expect(403);
    const me = await api().get('/api/v1/auth/me').set(admin.auth).expect(200);
    expect(me.body).toMatchObject({ role: 'user', permissions: [] });
  });

  it('when a role loses a permission, then a remembered token of its member loses it at once', async () => {
    await t.container.db.query(
      "INSERT INTO roles (name, description, permissions) VALUES ('cache_probe', 'test', '{users:read}')",
    );
    const member = await createAccount(t, 'cache_probe');
    const target = await createAccount(t);
    await api().get(accountUrl(target.user.id)).set(member.auth).expect(200);
    await t.container.db.query("UPDATE roles SET permissions = '{}' WHERE name = 'cache_probe'");
    await api().get(accountUrl(target.user.id)).set(member.auth).expect(403);
    expect((await api().get('/api/v1/auth/me').set(member.auth)).body.permissions).toEqual([]);
  });

  it('when the caller logs out everywhere, then the refresh token is refused at once (the access token runs to its exp, as always)', async () => {
    const account = await createAccount(t);
    await api().get('/api/v1/auth/me').set(account.auth).expect(200);
    await api().post('/api/v1/auth/logout-all').set(account.auth).expect(204);
    await api()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: account.refreshToken })
      .expect(401);
  });

  it('when the account is deleted, then its remembered token is refused at once', async () => {
    const account = await createAccount(t);
    await api().get('/api/v1/auth/me').set(account.auth).expect(200);
    await t.container.db.query('DELETE FROM users WHERE id = $1', [account.user.id]);
    await api().get('/api/v1/auth/me').set(account.auth).expect(401);
  });

  it('when a remembered token is altered by one character, then it is verified afresh and refused', async () => {
    const account = await createAccount(t);
    await api().get('/api/v1/auth/me').set(account.auth).expect(200);
    const [h, p, s] = account.token.split('.') as [string, string, string];
    const flipped = `${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`;
    for (const forged of [`${h}.${p}.${flipped}`, `${h}.${p}.`, `${h}.${p}`, `${account.token}x`])
      await api().get('/api/v1/auth/me').set('Authorization', `Bearer ${forged}`).expect(401);
    await api().get('/api/v1/auth/me').set('Authorization', `Basic ${account.token}`).expect(401);
    await api().get('/api/v1/auth/me').set(account.auth).expect(200);
  });
});

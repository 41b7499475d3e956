import { jest } from '@jest/globals';
import bcrypt from 'bcryptjs';
import argon2 from 'argon2';
import request from 'supertest';
import { unlockAccount } from './lockout.ts';
import {
  behindProxy,
  closeTestAuth,
  counterValue,
  createUser,
  eventsOf,
  first,
  get,
  linesContaining,
  login,
  median,
  nextIp,
  post,
  signIn,
  strongPassword,
  uniqueEmail,
} from '../test/auth-test-support.ts';
import { createTestAuth, type TestAuth } from '../test/harness.ts';

// Real argon2 hashing on shared cores: generous per-test time.
jest.setTimeout(60_000);

const passwordsUsed: string[] = [];
/** Tokens handed out in this suite: none may reach a log line. */
const tokensIssued: string[] = [];
const pw = () => {
  const p = strongPassword();
  passwordsUsed.push(p);
  return p;
};

/** A refusal's status and body without the per-request id. */
function answer(res: request.Response) {
  const { requestId: _requestId, ...body } = res.body as Record<string, unknown>;
  return { status: res.status, body, type: res.headers['content-type'] };
}

async function userRow(t: TestAuth, id: string) {
  const { rows } = await t.container.db.query<{
    failed_login_count: number;
    locked_until: Date | null;
    lockout_count: number;
    password_hash: string;
  }>(
    'SELECT failed_login_count, locked_until, lockout_count, password_hash FROM users WHERE id = $1',
    [id],
  );
  return first(rows);
}

describe('password sign-in', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth(behindProxy);
  });
  afterAll(async () => closeTestAuth(t));

  it('when the credentials are right, then it answers the access token and the user, the refresh token only as a __Host- HttpOnly cookie, and no-store', async () => {
    const { email, password, user } = await createUser(t, { password: pw() });
    const res = await login(t, email.toUpperCase(), password);
    tokensIssued.push(res.body.accessToken);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType', 'user']);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { id: user.id, email, role: 'user' },
    });
    expect(typeof res.body.accessToken).toBe('string');
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-ums_refresh=.*HttpOnly.*Secure.*SameSite=Strict/i);
    tokensIssued.push(/^__Host-ums_refresh=([^;]+)/.exec(cookie)?.[1] ?? '');
    expect(JSON.stringify(res.body)).not.toMatch(/hash|argon|failedLogin/i);
  });

  it('when an API client asks for refreshTokenDelivery body, then the refresh token is in the body and no cookie is set', async () => {
    const { email, password } = await createUser(t, { password: pw() });
    const res = await post(t, '/api/v1/auth/login', {
      email,
      password,
      refreshTokenDelivery: 'body',
    }).expect(200);
    tokensIssued.push(res.body.accessToken, res.body.refreshToken);
    expect(res.body.refreshToken).toEqual(expect.any(String));
    expect(res.headers['set-cookie']).toBeUndefined();
    const refreshed = await post(t, '/api/v1/auth/refresh', {
      refreshToken: res.body.refreshToken,
    }).expect(200);
    tokensIssued.push(refreshed.body.accessToken, refreshed.body.refreshToken);
    expect(refreshed.body.refreshToken).toEqual(expect.any(String));
    expect(refreshed.headers['set-cookie']).toBeUndefined();
    await post(t, '/api/v1/auth/login', {
      email,
      password,
      refreshTokenDelivery: 'header',
    }).expect(400);
  });

  it('when the email is unknown, the password wrong or missing, the account locked, suspended, inactive or password-less, then the answer is identical', async () => {
    const wrong = await createUser(t, { password: pw() });
    const locked = await createUser(t, { password: pw() });
    await t.container.db.query(
      `UPDATE users SET locked_until = now() + interval '10 minutes' WHERE id = $1`,
      [locked.user.id],
    );
    const suspended = await createUser(t, { password: pw() });
    await t.container.db.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [
      suspended.user.id,
    ]);
    const inactive = await createUser(t, { password: pw() });
    await t.container.db.query(`UPDATE users SET status = 'inactive' WHERE id = $1`, [
      inactive.user.id,
    ]);
    const federated = await createUser(t, { passwordHash: null });

    const answers = [
      answer(await login(t, uniqueEmail('nobody'), pw())),
      answer(await login(t, wrong.email, pw())),
      answer(await login(t, wrong.email, undefined)),
      answer(await login(t, wrong.email, '')),
      answer(await login(t, locked.email, locked.password)),
      answer(await login(t, suspended.email, suspended.password)),
      answer(await login(t, inactive.email, inactive.password)),
      answer(await login(t, federated.email, pw())),
    ];
    expect(answers[0]).toEqual({
      status: 401,
      type: expect.stringMatching(/application\/problem\+json/),
      body: expect.objectContaining({
        code: 'auth.invalid_credentials',
        status: 401,
        instance: '/api/v1/auth/login',
      }),
    });
    for (const other of answers.slice(1)) expect(other).toEqual(answers[0]);
  });

  it('when unknown emails and wrong passwords are timed, then their median latencies are of the same order (dummy hash)', async () => {
    const users = await Promise.all([1, 2, 3, 4].map(() => createUser(t)));
    const unknown: number[] = [];
    const wrong: number[] = [];
    const timed = async (email: string) => {
      const started = performance.now();
      const res = await login(t, email, 'Not-the-right-password-1');
      expect(res.status).toBe(401);
      return performance.now() - started;
    };
    for (let i = 0; i < 8; i += 1) {
      unknown.push(await timed(uniqueEmail('ghost')));
      wrong.push(await timed(first(users.slice(i % 4)).email));
    }
    // Generous on purpose (shared CI cores): without the dummy hash the unknown path is ~50x faster.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
    expect(median(wrong)).toBeGreaterThan(median(unknown) * 0.5);
  });

  it('when 5 consecutive failures happen, then the account locks: the right password gets the same 401, auth.locked is recorded once', async () => {
    const { user, email, password } = await createUser(t, { password: pw() });
    const lockoutsBefore = await counterValue(t, 'ums_auth_lockouts_total');
    const failure = answer(await login(t, email, pw()));
    for (let i = 0; i < 4; i += 1) expect((await login(t, email, pw())).status).toBe(401);
    const row = await userRow(t, user.id);
    expect(row.locked_until).not.toBeNull();
    const minutes = ((row.locked_until?.getTime() ?? 0) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);

    expect(answer(await login(t, email, password))).toEqual(failure);
    expect(await eventsOf(t, 'auth.locked', user.id)).toHaveLength(1);
    expect(await counterValue(t, 'ums_auth_lockouts_total')).toBe(lockoutsBefore + 1);
  });

  it('when attempts continue while locked, then the lock is not extended; once it expires the right password works and resets the count', async () => {
    const { user, email, password } = await createUser(t, { password: pw() });
    for (let i = 0; i < 5; i += 1) await login(t, email, pw());
    const lockedUntil = (await userRow(t, user.id)).locked_until;
    expect(lockedUntil).toBeInstanceOf(Date);
    for (let i = 0; i < 3; i += 1) expect((await login(t, email, pw())).status).toBe(401);
    expect((await userRow(t, user.id)).locked_until?.getTime()).toBe(lockedUntil?.getTime());

    // Let the lock run out (move it into the past rather than sleep 15 minutes).
    await t.container.db.query(
      `UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`,
      [user.id],
    );
    expect((await login(t, email, password)).status).toBe(200);
    const after = await userRow(t, user.id);
    expect(after.failed_login_count).toBe(0);
    expect(after.locked_until).toBeNull();
  });

  it('when a success comes between failures, then the count restarts (4 + success + 4 does not lock)', async () => {
    const { user, email, password } = await createUser(t, { password: pw() });
    for (let i = 0; i < 4; i += 1) await login(t, email, pw());
    expect((await userRow(t, user.id)).failed_login_count).toBe(4);
    expect((await login(t, email, password)).status).toBe(200);
    for (let i = 0; i < 4; i += 1) await login(t, email, pw());
    expect((await userRow(t, user.id)).locked_until).toBeNull();
    expect((await login(t, email, password)).status).toBe(200);
  });

  it('when failures use case variants of the email, then they share one counter and lock the account', async () => {
    const { user, email, password } = await createUser(t, { password: pw() });
    const variants = [
      email,
      email.toUpperCase(),
      ` ${email} `,
      email.replace(/^./, (c) => c.toUpperCase()),
      email.toUpperCase(),
    ];
    for (const variant of variants) expect((await login(t, variant, pw())).status).toBe(401);
    expect((await userRow(t, user.id)).failed_login_count).toBe(5);
    expect((await login(t, email, password)).status).toBe(401);
  });

  it('when the password is missing, then the attempt counts as a failure (same 401) and five of them lock', async () => {
    const { user, email, password } = await createUser(t, { password: pw() });
    for (let i = 0; i < 5; i += 1) {
      const res = await login(t, email, undefined);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('auth.invalid_credentials');
    }
    expect((await userRow(t, user.id)).failed_login_count).toBe(5);
    expect((await login(t, email, password)).status).toBe(401);
    const failed = await eventsOf(t, 'auth.login_failed', user.id);
    expect(failed[0]?.data).toMatchObject({ reason: 'missing_password' });
  });

  it('when an admin unlocks a locked account, then the right password works again', async () => {
    const { user, email, password } = await createUser(t, { password: pw() });
    for (let i = 0; i < 5; i += 1) await login(t, email, pw());
    expect((await login(t, email, password)).status).toBe(401);
    expect(await unlockAccount(t.container.db, user.id)).toBe(true);
    expect((await login(t, email, password)).status).toBe(200);
  });

  it('when sign-ins fail and succeed, then auth.login_failed and auth.login_succeeded carry address and request id, never the password', async () => {
    const { user, email, password } = await createUser(t, { password: pw() });
    const wrong = pw();
    const failed = await login(t, email, wrong, { ip: '203.0.113.9' });
    const ok = await login(t, email, password, { ip: '203.0.113.10' });
    const failures = await eventsOf(t, 'auth.login_failed', user.id);
    const successes = await eventsOf(t, 'auth.login_succeeded', user.id);
    expect(failures).toEqual([
      expect.objectContaining({
        ip: '203.0.113.9',
        requestId: failed.headers['x-request-id'],
        data: expect.objectContaining({ reason: 'bad_password', method: 'password' }),
      }),
    ]);
    expect(successes).toEqual([
      expect.objectContaining({ ip: '203.0.113.10', requestId: ok.headers['x-request-id'] }),
    ]);
    const { rows } = await t.container.db.query<{ payload: unknown }>('SELECT payload FROM outbox');
    expect(JSON.stringify(rows)).not.toContain(wrong);
    expect(JSON.stringify(rows)).not.toContain(password);
  });

  it('when a migrated bcrypt hash signs in, then it verifies and is replaced by argon2id (and still works)', async () => {
    const password = pw();
    const { user, email } = await createUser(t, { passwordHash: bcrypt.hashSync(password, 10) });
    expect((await login(t, email, pw())).status).toBe(401);
    expect((await userRow(t, user.id)).password_hash).toMatch(/^\$2[aby]\$/);
    expect((await login(t, email, password)).status).toBe(200);
    expect((await userRow(t, user.id)).password_hash).toMatch(/^\$argon2id\$/);
    expect((await login(t, email, password)).status).toBe(200);
  });

  it('when an argon2id hash has weaker parameters than today, then a sign-in rehashes it', async () => {
    const password = pw();
    const weak = await argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    });
    const { user, email } = await createUser(t, { passwordHash: weak });
    expect((await login(t, email, password)).status).toBe(200);
    expect((await userRow(t, user.id)).password_hash).toContain('m=19456');
  });

  it('when the user has MFA, then the password step answers mfaRequired and an mfaToken that is not an access token', async () => {
    const { user, email, password } = await createUser(t, { password: pw() });
    await t.container.db.query('UPDATE users SET mfa_enabled = true WHERE id = $1', [user.id]);
    const res = await login(t, email, password);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
    tokensIssued.push(res.body.mfaToken);
    expect(res.headers['set-cookie']).toBeUndefined();
    const { rows } = await t.container.db.query('SELECT 1 FROM refresh_tokens WHERE user_id = $1', [
      user.id,
    ]);
    expect(rows).toHaveLength(0);
    expect((await get(t, '/api/v1/auth/me', { token: res.body.mfaToken })).status).toBe(401);
  });

  it('when signed in, then /me answers the caller with the permissions their role grants now', async () => {
    const { user, email, password } = await createUser(t, { password: pw(), role: 'admin' });
    const { accessToken } = await signIn(t, email, password);
    const me = await get(t, '/api/v1/auth/me', { token: accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: user.id,
      email,
      role: 'admin',
      permissions: expect.arrayContaining(['users:read', 'users:write']),
      status: 'active',
      emailVerified: true,
      mfaEnabled: false,
      firstName: null,
      lastName: null,
      createdAt: user.createdAt.toISOString(),
    });
    await t.container.db.query(
      `UPDATE roles SET permissions = array_remove(permissions, 'users:write') WHERE name = 'admin'`,
    );
    try {
      const later = await get(t, '/api/v1/auth/me', { token: accessToken });
      expect(later.body.permissions).not.toContain('users:write');
    } finally {
      await t.container.db.query(
        `UPDATE roles SET permissions = array_append(permissions, 'users:write') WHERE name = 'admin'`,
      );
    }
  });

  it('when /me is called without a valid access token, then it is 401', async () => {
    expect((await get(t, '/api/v1/auth/me')).status).toBe(401);
    expect((await get(t, '/api/v1/auth/me', { token: 'not.a.jwt' })).status).toBe(401);
  });

  it('when the login body is malformed, then it is 400 (missing email, wrong types, unknown fields) and nothing is counted', async () => {
    const ip = nextIp();
    for (const body of [
      { password: 'x' },
      { email: 42, password: 'x' },
      { email: uniqueEmail(), password: 'x', role: 'admin' },
    ]) {
      const res = await request(t.app)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', ip)
        .send(body);
      expect(res.status).toBe(400);
    }
  });

  it('when the suite has run, then no captured log line contains a password or a token', async () => {
    expect(t.logs.lines().length).toBeGreaterThan(0);
    expect(tokensIssued).toHaveLength(7);
    expect(linesContaining(t, [...passwordsUsed, ...tokensIssued])).toEqual([]);
  });
});

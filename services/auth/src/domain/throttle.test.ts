import { jest } from '@jest/globals';
import request from 'supertest';
import { throttleRules } from './throttle.ts';
import {
  behindProxy,
  closeTestAuth,
  counterValue,
  createUser,
  login,
  nextIp,
  strongPassword,
  uniqueEmail,
} from '../test/auth-test-support.ts';
import { createTestAuth, type TestAuth } from '../test/harness.ts';

// Real argon2 hashing on shared cores: generous per-test time.
jest.setTimeout(60_000);

const { loginPerAddress, loginFailuresPerAddress, loginFailuresPerAccount } = throttleRules;

/** Failed sign-ins against many accounts (credential stuffing) from one address, one request at a time. */
async function stuff(
  t: TestAuth,
  count: number,
  send: (email: string) => request.Test | Promise<request.Response>,
) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) statuses.push((await send(uniqueEmail('victim'))).status);
  return statuses;
}

describe('sign-in throttling (Redis, per address and per account)', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth(behindProxy);
  });
  afterAll(async () => closeTestAuth(t));

  it('when one address signs in 60 times within a minute, then every request is served; the 61st is refused with Retry-After', async () => {
    expect(loginPerAddress.points).toBeGreaterThanOrEqual(30);
    const { email, password } = await createUser(t);
    const ip = nextIp();
    for (let i = 0; i < loginPerAddress.points; i += 1)
      expect((await login(t, email, password, { ip })).status).toBe(200);
    const refused = await login(t, email, password, { ip });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('auth.too_many_attempts');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(t, email, password, { ip: nextIp() })).status).toBe(200);
  });

  it('when one password is tried against many accounts from one address, then the address is throttled (429) and others are not', async () => {
    const ip = nextIp();
    const throttledBefore = await counterValue(t, 'ums_auth_logins_total', 'result="throttled"');
    const statuses = await stuff(t, loginFailuresPerAddress.points + 3, (email) =>
      login(t, email, 'Summer-Holiday-2024!', { ip }),
    );
    expect(statuses.slice(0, loginFailuresPerAddress.points).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(loginFailuresPerAddress.points)).toEqual([429, 429, 429]);
    const refused = await login(t, uniqueEmail(), 'Summer-Holiday-2024!', { ip });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
    expect(
      await counterValue(t, 'ums_auth_logins_total', 'result="throttled"'),
    ).toBeGreaterThanOrEqual(throttledBefore + 4);
    // Even the right password of a real account waits while the address is blocked.
    const { email, password } = await createUser(t);
    expect((await login(t, email, password, { ip })).status).toBe(429);
    expect((await login(t, email, password, { ip: nextIp() })).status).toBe(200);
  });

  it('when one account collects its failure budget from many addresses, then it is throttled from every address, known or not', async () => {
    for (const email of [uniqueEmail('ghost'), (await createUser(t)).email]) {
      for (let i = 0; i < loginFailuresPerAccount.points; i += 1)
        expect((await login(t, email, strongPassword())).status).toBe(401);
      const refused = await login(t, email.toUpperCase(), strongPassword());
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('auth.too_many_attempts');
    }
  });

  it('when a client behind the trusted proxy varies a spoofed X-Forwarded-For entry, then its per-address budget is not reset', async () => {
    const client = nextIp();
    const statuses = await stuff(t, loginFailuresPerAddress.points + 2, (email) =>
      request(t.app)
        .post('/api/v1/auth/login')
        .set(
          'X-Forwarded-For',
          `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.7, ${client}`,
        )
        .send({ email, password: 'Spoofed-address-pass1' }),
    );
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });
});

describe('sign-in throttling without trusted proxies', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => closeTestAuth(t));

  it('when a direct client sends a different X-Forwarded-For each time, then the header is ignored and the budget still runs out', async () => {
    const statuses = await stuff(t, loginFailuresPerAddress.points + 2, (email) =>
      request(t.app)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', nextIp())
        .send({ email, password: 'Spoofed-address-pass2' }),
    );
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });
});

describe('sign-in throttling while Redis is down', () => {
  let t: TestAuth;
  beforeAll(async () => {
    // A closed port: every Redis command fails at once (no offline queue); the shared Redis is untouched.
    t = await createTestAuth({ ...behindProxy, REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(async () => closeTestAuth(t));

  it('when Redis is unreachable, then sign-in still works and the limits hold in process', async () => {
    expect(t.container.redis.status).not.toBe('ready');
    const { email, password, user } = await createUser(t);
    expect((await login(t, email, password)).status).toBe(200);

    const target = uniqueEmail('ghost');
    for (let i = 0; i < loginFailuresPerAccount.points; i += 1)
      expect((await login(t, target, strongPassword())).status).toBe(401);
    expect((await login(t, target, strongPassword())).status).toBe(429);

    // The lockout lives in PostgreSQL and does not care about Redis.
    for (let i = 0; i < 5; i += 1) await login(t, email, strongPassword());
    expect((await login(t, email, password)).status).toBe(401);
    const { rows } = await t.container.db.query<{ locked_until: Date | null }>(
      'SELECT locked_until FROM users WHERE id = $1',
      [user.id],
    );
    expect(rows[0]?.locked_until).not.toBeNull();
  });
});

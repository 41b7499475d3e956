import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import request from 'supertest';
import { withTransaction } from '../data/db.ts';
import type { UserRecord } from '../data/users-repository.ts';
import { revokeAllSessions } from '../domain/session-revocation.ts';
import { createTestAuth, requireEnv, type TestAuth } from '../test/harness.ts';
import { freePort, killHard, redisReady, spawnRedis, waitFor } from '../test/redis-server.ts';
import { createAccount, type TestAccount } from '../test/admin-test-support.ts';
import {
  behindProxy,
  closeTestAuth,
  createUser,
  mailTo,
  post,
  strongPassword,
  tokenFromLink,
} from '../test/auth-test-support.ts';

// Ended sessions against real PostgreSQL and Redis: the auth service's outbox relay announces
// them on the revocation stream and this same process's verifier reads it back, as every
// replica of auth and profile does.

const ME = '/api/v1/auth/me';
const sidOf = (accessToken: string) =>
  JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()).sid as string;

const me = (t: TestAuth, token: string) => request(t.app).get(ME).auth(token, { type: 'bearer' });

/** Polls until the token is refused; resolves to how long that took after `since`. */
async function refusedWithin(t: TestAuth, token: string, since: number): Promise<number> {
  const res = await waitFor(
    async () => {
      const answer = await me(t, token);
      return answer.status === 401 ? answer : false;
    },
    5_000,
    10,
  );
  expect(res.body.code).toBe('auth.invalid_token');
  expect(res.headers['www-authenticate']).toBe(
    'Bearer error="invalid_token", error_description="This session has ended."',
  );
  return Date.now() - since;
}

async function secondSession(t: TestAuth, user: UserRecord) {
  return t.container.sessions.issue(t.container.db, user, { ip: '127.0.0.1', userAgent: 'test' });
}

describe('access tokens after their session ends (real PostgreSQL and Redis)', () => {
  let t: TestAuth;
  let admin: TestAccount;
  const delays: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestAuth({ ...behindProxy, PUBLIC_BASE_URL: 'https://accounts.example.test' });
    admin = await createAccount(t, 'super_admin');
  });
  afterAll(async () => {
    console.log(`ended session -> access token refused (ms): ${JSON.stringify(delays)}`);
    await closeTestAuth(t);
  });

  it('when the user logs out, then that access token is refused within a second and the other session is not', async () => {
    const a = await createAccount(t);
    const other = await secondSession(t, a.user);
    await me(t, a.token).expect(200); // verified and remembered by the token cache
    const since = Date.now();
    await post(t, '/api/v1/auth/logout', undefined, { token: a.token }).expect(204);
    delays.logout = await refusedWithin(t, a.token, since);
    expect(delays.logout).toBeLessThan(1_000);
    await me(t, other.accessToken).expect(200);
  });

  it('when the user ends another session or all of them, then exactly those tokens are refused', async () => {
    const a = await createAccount(t);
    const other = await secondSession(t, a.user);
    let since = Date.now();
    await request(t.app)
      .delete(`/api/v1/auth/sessions/${sidOf(other.accessToken)}`)
      .auth(a.token, { type: 'bearer' })
      .expect(204);
    delays.deleteSession = await refusedWithin(t, other.accessToken, since);
    await me(t, a.token).expect(200);

    const third = await secondSession(t, a.user);
    since = Date.now();
    await post(t, '/api/v1/auth/logout-all', undefined, { token: a.token }).expect(204);
    delays.logoutAll = await refusedWithin(t, third.accessToken, since);
    await refusedWithin(t, a.token, since);
  });

  it('when an admin revokes the sessions, suspends or deletes the account, then its tokens are refused', async () => {
    const revoked = await createAccount(t);
    let since = Date.now();
    await request(t.app)
      .post(`/api/v1/accounts/${revoked.user.id}/revoke-sessions`)
      .set(admin.auth)
      .expect(200);
    delays.adminRevoke = await refusedWithin(t, revoked.token, since);

    const suspended = await createAccount(t);
    await me(t, suspended.token).expect(200);
    since = Date.now();
    await request(t.app)
      .patch(`/api/v1/accounts/${suspended.user.id}`)
      .set(admin.auth)
      .send({ status: 'suspended' })
      .expect(200);
    // /me is an authenticated route that does not read the status: only the ended session stops it.
    delays.suspension = await refusedWithin(t, suspended.token, since);

    const deleted = await createAccount(t);
    const stream = new Redis(requireEnv('REDIS_URL'));
    try {
      await request(t.app)
        .delete(`/api/v1/accounts/${deleted.user.id}`)
        .set(admin.auth)
        .expect(204);
      const announced = await waitFor(async () => {
        const entries = await stream.xrange(t.container.revocationStream, '-', '+');
        return entries.some(([, fields]) => fields.includes(sidOf(deleted.token)));
      }, 5_000);
      expect(announced).toBe(true);
    } finally {
      stream.disconnect();
    }
    await me(t, deleted.token).expect(401);
  });

  it('when the password is reset, then every access token of the account is refused; a change keeps only the current one', async () => {
    const { user, email } = await createUser(t);
    const first = await secondSession(t, user);
    const second = await secondSession(t, user);
    await post(t, '/api/v1/auth/password/forgot', { email }).expect(202);
    const mail = await mailTo(t, email, /Reset your password/);
    const newPassword = strongPassword();
    const since = Date.now();
    await post(t, '/api/v1/auth/password/reset', {
      token: tokenFromLink(mail.links.resetPassword),
      newPassword,
    }).expect(204);
    delays.passwordReset = await refusedWithin(t, first.accessToken, since);
    await refusedWithin(t, second.accessToken, since);

    const here = await secondSession(t, user);
    const elsewhere = await secondSession(t, user);
    await post(
      t,
      '/api/v1/auth/password/change',
      { currentPassword: newPassword, newPassword: strongPassword() },
      { token: here.accessToken },
    ).expect(200);
    await refusedWithin(t, elsewhere.accessToken, Date.now());
    await me(t, here.accessToken).expect(200);
  });

  it('when a revocation rolls back, then nothing is announced and the session keeps working', async () => {
    const a = await createAccount(t);
    await expect(
      withTransaction(t.container.db, async (tx) => {
        expect(await revokeAllSessions(tx, a.user.id, 'logout_all')).toBe(1);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await me(t, a.token).expect(200);
  });
});

describe('ended sessions while Redis is away (own redis-server, killed and restarted)', () => {
  let dir: string;
  let port: number;
  let server: ChildProcess | undefined;
  let t: TestAuth;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ums-revocations-redis-'));
    port = await freePort();
    server = spawnRedis(port, dir);
    await redisReady(port);
    t = await createTestAuth({
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REVOCATION_MAX_STALENESS_MS: '1500',
    });
  });
  afterAll(async () => {
    await closeTestAuth(t);
    if (server) await killHard(server);
    await rm(dir, { recursive: true, force: true });
  });

  it('when Redis dies, then tokens keep working for the grace period, then 503 (fail closed), and a logout made meanwhile applies once Redis is back', async () => {
    const a = await createAccount(t);
    const b = await createAccount(t);
    await me(t, a.token).expect(200);
    await killHard(server as ChildProcess);
    const killedAt = Date.now();
    // Within the grace period the copy in memory still answers.
    await me(t, a.token).expect(200);
    // Ended while Redis is away: committed in PostgreSQL, waiting in the outbox.
    await post(t, '/api/v1/auth/logout', undefined, { token: b.token }).expect(204);

    const refused = await waitFor(
      async () => {
        const res = await me(t, a.token);
        return res.status === 503 ? res : false;
      },
      10_000,
      20,
    );
    const closedAfter = Date.now() - killedAt;
    expect(refused.body.code).toBe('auth.revocations_unavailable');
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    // The copy is known current up to the start of its last read (reads block at most a third of
    // the grace), so the refusals start between two thirds of the grace and the grace after the kill.
    expect(closedAfter).toBeGreaterThanOrEqual(1_000);
    expect(closedAfter).toBeLessThan(3_000);

    server = spawnRedis(port, dir);
    await redisReady(port);
    const restartedAt = Date.now();
    await waitFor(async () => (await me(t, a.token)).status === 200, 10_000, 20);
    const recoveredAfter = Date.now() - restartedAt;
    await refusedWithin(t, b.token, restartedAt);
    console.log(
      `Redis killed: 503 after ${closedAfter} ms (grace 1500 ms); served again ${recoveredAfter} ms after redis-server answered`,
    );
  });
});

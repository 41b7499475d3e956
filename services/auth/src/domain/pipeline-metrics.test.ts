import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import {
  behindProxy,
  closeTestAuth,
  nextIp,
  post,
  uniqueEmail,
} from '../test/auth-test-support.ts';
import { awayFromStepBoundary, enrol, signedInUser, totpAt } from '../test/mfa-test-support.ts';
import { createOutboxRelay, relayConnection, type OutboxRelay } from './outbox-relay.ts';
import { replyFields } from './pipeline-metrics.ts';
import { throttleRules } from './throttle.ts';

// Real argon2 hashing and TOTP step waits on shared cores.
jest.setTimeout(60_000);

/** Every series of one metric from a real scrape of the app's /metrics, keyed by its labels. */
async function scrape(t: TestAuth, name: string): Promise<Record<string, number>> {
  const res = await request(t.app).get('/metrics').expect(200);
  const found: Record<string, number> = {};
  for (const line of res.text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labels = line
      .slice(name.length, line.lastIndexOf(' '))
      .replace(/service_name="[^"]*",?/, '');
    found[labels.replace(/,}$/, '}')] = Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return found;
}

const one = async (t: TestAuth, name: string, labels = '{}') => (await scrape(t, name))[labels];

const register = (t: TestAuth) =>
  post(t, '/api/v1/auth/register', {
    email: uniqueEmail('metrics'),
    password: `Correct-Horse-${randomBytes(6).toString('hex')}`,
  }).expect(201);

describe('auth metrics on a real scrape (PostgreSQL, Redis)', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth(behindProxy);
  });
  afterAll(async () => closeTestAuth(t));

  const relayTask = () => t.container.background.find((task) => task.name === 'outbox-relay');
  const freshRelay = (): OutboxRelay =>
    createOutboxRelay({
      db: t.container.db,
      redis: relayConnection(t.container.redis, t.logs.logger),
      stream: t.config.EVENTS_STREAM,
      revocations: { stream: t.container.revocationStream, accessTokenTtl: 900 },
      logger: t.logs.logger,
    });

  it('when RESP2 arrays or RESP3 maps arrive from XINFO, then both read as fields', () => {
    expect(replyFields(['length', 3, 'groups', 1])).toEqual({ length: 3, groups: 1 });
    expect(replyFields(new Map([['lag', 2]]))).toEqual({ lag: 2 });
  });

  it('when the relay is stopped, then the outbox backlog and its age grow; when a relay runs, they go back to 0 and the stream grows', async () => {
    await relayTask()?.stop();
    expect(await one(t, 'ums_redis_connected', '{client="stream"}')).toBe(0);
    const lengthBefore =
      (await one(t, 'ums_events_stream_length', `{stream="${t.config.EVENTS_STREAM}"}`)) ?? 0;
    const backlogBefore = (await one(t, 'ums_auth_outbox_backlog')) ?? 0;
    await register(t);
    await register(t);
    await new Promise((r) => setTimeout(r, 1_100));
    const backlog = (await one(t, 'ums_auth_outbox_backlog')) ?? 0;
    expect(backlog).toBeGreaterThanOrEqual(backlogBefore + 2);
    expect(await one(t, 'ums_auth_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(1);

    const relay = freshRelay();
    try {
      while ((await relay.publishBatch()) > 0);
    } finally {
      await relay.stop();
    }
    expect(await one(t, 'ums_auth_outbox_backlog')).toBe(0);
    expect(await one(t, 'ums_auth_outbox_oldest_age_seconds')).toBe(0);
    expect(await one(t, 'ums_events_stream_length', `{stream="${t.config.EVENTS_STREAM}"}`)).toBe(
      lengthBefore + backlog,
    );
  });

  it('when a consumer group has unread entries, then lag counts them; reading moves them to pending, acknowledging clears them', async () => {
    const stream = t.config.EVENTS_STREAM;
    const group = `metrics-${randomBytes(3).toString('hex')}`;
    const labels = `{stream="${stream}",group="${group}"}`;
    for (let i = 0; i < 3; i += 1)
      await t.container.redis.xadd(stream, '*', 'eventId', `e${i}`, 'type', 'test.event');
    const length = (await one(t, 'ums_events_stream_length', `{stream="${stream}"}`)) ?? 0;
    await t.container.redis.call('XGROUP', 'CREATE', stream, group, '0');
    expect(await one(t, 'ums_events_consumer_lag', labels)).toBe(length);
    expect(await one(t, 'ums_events_consumer_pending', labels)).toBe(0);

    const read = (await t.container.redis.call(
      'XREADGROUP',
      'GROUP',
      group,
      'c1',
      'COUNT',
      '2',
      'STREAMS',
      stream,
      '>',
    )) as unknown[];
    expect(read).not.toBeNull();
    expect(await one(t, 'ums_events_consumer_lag', labels)).toBe(length - 2);
    expect(await one(t, 'ums_events_consumer_pending', labels)).toBe(2);
    const pending = (await t.container.redis.xpending(stream, group, '-', '+', 10)) as [string][];
    await t.container.redis.xack(stream, group, ...pending.map(([id]) => id));
    expect(await one(t, 'ums_events_consumer_pending', labels)).toBe(0);
  });

  it('when the active signing key is an hour old, then its age says so next to the rotation period', async () => {
    await t.container.db.query(
      "UPDATE signing_keys SET created_at = now() - interval '1 hour' WHERE retired_at IS NULL",
    );
    const age = (await one(t, 'ums_auth_signing_key_age_seconds')) ?? 0;
    expect(age).toBeGreaterThanOrEqual(3600);
    expect(age).toBeLessThan(3660);
    expect(await one(t, 'ums_auth_signing_key_rotation_period_seconds')).toBe(
      t.config.KEY_ROTATION_INTERVAL,
    );
    await t.container.keys.rotate();
    expect(await one(t, 'ums_auth_signing_key_age_seconds')).toBeLessThan(60);
  });

  it('when a pool client is checked out, then the postgres pool gauges count it as active', async () => {
    expect(await one(t, 'ums_db_pool_max_connections', '{db="postgres"}')).toBe(
      t.config.DATABASE_POOL_MAX,
    );
    const activeBefore =
      (await one(t, 'ums_db_pool_connections', '{db="postgres",state="active"}')) ?? 0;
    const held = await t.container.db.connect();
    try {
      expect(await one(t, 'ums_db_pool_connections', '{db="postgres",state="active"}')).toBe(
        activeBefore + 1,
      );
    } finally {
      held.release();
    }
    expect(
      await one(t, 'ums_db_pool_connections', '{db="postgres",state="idle"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(await one(t, 'ums_db_pool_connections', '{db="postgres",state="waiting"}')).toBe(0);
  });

  it('when the request-path Redis client is connected, then ums_redis_connected{client="main"} is 1', async () => {
    expect(await one(t, 'ums_redis_connected', '{client="main"}')).toBe(1);
    expect(await one(t, 'ums_process_cpu_limit_cores')).toBeGreaterThan(0);
    expect(await one(t, 'ums_process_memory_limit_bytes')).toBeGreaterThan(0);
  });

  it('when one address submits too many tokens, then the 429 is counted under its limiter', async () => {
    const ip = nextIp();
    const labels = `{limiter="${throttleRules.tokenPerAddress.name}"}`;
    const before = (await one(t, 'ums_http_throttled_requests_total', labels)) ?? 0;
    const token = { token: randomBytes(32).toString('base64url') };
    for (let i = 0; i < throttleRules.tokenPerAddress.points; i += 1)
      expect((await post(t, '/api/v1/auth/email/verify', token, { ip })).status).toBe(400);
    expect((await post(t, '/api/v1/auth/email/verify', token, { ip })).status).toBe(429);
    expect((await post(t, '/api/v1/auth/email/verify', token, { ip })).status).toBe(429);
    expect(await one(t, 'ums_http_throttled_requests_total', labels)).toBe(before + 2);
  });

  it('when MFA codes are checked at sign-in, then verifications are counted by method and result', async () => {
    const who = await signedInUser(t);
    const { secret, recoveryCodes } = await enrol(t, who);
    const count = async (method: string, result: string) =>
      (await one(
        t,
        'ums_auth_mfa_verifications_total',
        `{method="${method}",result="${result}"}`,
      )) ?? 0;
    const before = {
      totpOk: await count('totp', 'success'),
      totpBad: await count('totp', 'failure'),
      recoveryOk: await count('recovery_code', 'success'),
    };
    const loginMfa = async (code: string) =>
      request(t.app)
        .post('/api/v1/auth/login/mfa')
        .send({ mfaToken: await t.container.signer.signMfaToken(who.user.id), code });
    expect((await loginMfa('000000')).status).toBe(401);
    await awayFromStepBoundary();
    expect((await loginMfa(await totpAt(secret))).status).toBe(200);
    expect((await loginMfa(recoveryCodes[0] ?? '')).status).toBe(200);
    expect(await count('totp', 'failure')).toBe(before.totpBad + 1);
    expect(await count('totp', 'success')).toBe(before.totpOk + 1);
    expect(await count('recovery_code', 'success')).toBe(before.recoveryOk + 1);
  });

  // Last: it takes the request path's Redis client away.
  it('when Redis is gone, then the scrape still answers, the stream series are left out and the failure is counted', async () => {
    t.container.redis.disconnect();
    const errorsBefore =
      (await one(t, 'ums_auth_metrics_collect_errors_total', '{source="stream"}')) ?? 0;
    expect(await scrape(t, 'ums_events_stream_length')).toEqual({});
    expect(await one(t, 'ums_redis_connected', '{client="main"}')).toBe(0);
    expect(
      await one(t, 'ums_auth_metrics_collect_errors_total', '{source="stream"}'),
    ).toBeGreaterThan(errorsBefore);
    expect(await one(t, 'ums_auth_outbox_backlog')).toBeDefined();
  });
});

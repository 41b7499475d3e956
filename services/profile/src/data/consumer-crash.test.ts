// Fault test: the consumer process is SIGKILLed in the middle of a batch.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditDoc } from '../domain/audit.ts';
import type { ProfileDoc } from '../domain/profile-model.ts';
import { createTestProfile, eventually, snapshotOf, type TestProfile } from '../test/harness.ts';

const child = fileURLToPath(new URL('../test/consumer-child.ts', import.meta.url));

describe('consumer killed mid-batch', () => {
  let t: TestProfile;
  beforeAll(async () => {
    t = await createTestProfile({ EVENTS_CLAIM_IDLE_MS: '300', EVENTS_BATCH_SIZE: '50' });
  });
  afterAll(async () => t?.close());

  it('when the consumer process dies mid-batch, then another consumer finishes the work: nothing lost, nothing doubled', async () => {
    const audit = t.container.mongo.db.collection<AuditDoc>('audit_logs');
    const profiles = t.container.mongo.db.collection<ProfileDoc>('user_profiles');
    const users = Array.from({ length: 40 }, () => snapshotOf());
    const ids: string[] = [];
    for (const user of users) {
      ids.push(await t.publish({ type: 'user.registered', aggregateId: user.id, data: { user } }));
      for (let i = 0; i < 4; i += 1) {
        const lastLoginAt = new Date(Date.UTC(2031, 0, 1, 0, i)).toISOString();
        ids.push(
          await t.publish({
            type: 'auth.login_succeeded',
            aggregateId: user.id,
            occurredAt: lastLoginAt,
            data: { user: { ...user, lastLoginAt } },
          }),
        );
      }
    }

    const proc = spawn(process.execPath, [child], {
      env: {
        ...process.env,
        MONGODB_URI: t.config.MONGODB_URI,
        MONGODB_DB: t.config.MONGODB_DB,
        REDIS_URL: t.config.REDIS_URL,
        EVENTS_STREAM: t.config.EVENTS_STREAM,
        EVENTS_GROUP: t.config.EVENTS_GROUP,
        EVENTS_CONSUMER: 'doomed',
        EVENTS_BATCH_SIZE: '50',
        EVENTS_BLOCK_MS: '100',
        AUTH_JWKS_URL: t.config.AUTH_JWKS_URL,
        PROFILE_CACHE_TTL_SECONDS: '0',
        TEST_HANDLE_DELAY_MS: '10',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(proc.stdout, 'data');
    // Inside the second batch: the first is acknowledged, the second partly written, unacknowledged.
    await eventually(
      async () =>
        (await audit.countDocuments({ eventId: { $in: ids } })) >= 65 ? true : undefined,
      60_000,
      20,
    );
    proc.kill('SIGKILL');
    await once(proc, 'exit');

    const written = await audit.countDocuments({ eventId: { $in: ids } });
    expect(written).toBeGreaterThan(50);
    expect(written).toBeLessThan(ids.length);
    const [pendingOnDead] = (await t.redis.xpending(
      t.config.EVENTS_STREAM,
      t.config.EVENTS_GROUP,
    )) as [number];
    expect(pendingOnDead).toBeGreaterThan(0);

    await sleep(350); // past EVENTS_CLAIM_IDLE_MS
    await t.drain();

    const perEvent = await audit
      .aggregate<{ _id: string; n: number }>([
        { $match: { eventId: { $in: ids } } },
        { $group: { _id: '$eventId', n: { $sum: 1 } } },
      ])
      .toArray();
    expect(perEvent).toHaveLength(ids.length);
    expect(perEvent.every((e) => e.n === 1)).toBe(true);
    expect(await profiles.countDocuments({ _id: { $in: users.map((u) => u.id) } })).toBe(
      users.length,
    );
    const last = new Date(Date.UTC(2031, 0, 1, 0, 3));
    expect(
      await profiles.countDocuments({ _id: { $in: users.map((u) => u.id) }, lastLoginAt: last }),
    ).toBe(users.length);
    const [pending] = (await t.redis.xpending(t.config.EVENTS_STREAM, t.config.EVENTS_GROUP)) as [
      number,
    ];
    expect(pending).toBe(0);
  });
});

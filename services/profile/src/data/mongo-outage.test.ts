// Fault test: MongoDB stopped while events keep coming. Runs on a FerretDB process of its own.
import { MongoClient } from 'mongodb';
import request from 'supertest';
import type { AuditDoc } from '../domain/audit.ts';
import type { ProfileDoc } from '../domain/profile-model.ts';
import {
  createTestDatabase,
  createTestProfile,
  eventually,
  type TestProfile,
} from '../test/harness.ts';
import { startOwnFerretDb, type OwnFerretDb } from '../test/own-servers.ts';

describe('MongoDB outage', () => {
  let ferret: OwnFerretDb;
  let t: TestProfile;
  let reader: MongoClient;

  beforeAll(async () => {
    ferret = await startOwnFerretDb();
    const database = await createTestDatabase(ferret.uri);
    t = await createTestProfile(
      {
        EVENTS_ENABLED: 'true',
        EVENTS_RETRY_MAX_MS: '300',
        MONGODB_SERVER_SELECTION_TIMEOUT_MS: '800',
        PROFILE_CACHE_TTL_SECONDS: '0',
      },
      { database },
    );
    reader = new MongoClient(ferret.uri, { serverSelectionTimeoutMS: 5_000 });
  });
  afterAll(async () => {
    await reader?.close();
    await t?.close();
    await ferret?.destroy();
  });

  const db = () => reader.db(t.config.MONGODB_DB);

  it('when MongoDB stops, then requests get 503 and events wait; when it is back, every event is applied exactly once', async () => {
    const user = await t.registerUser({}, ['users:read']);
    await eventually(async () =>
      (await db()
        .collection('user_profiles')
        .countDocuments({ _id: user.id as never }))
        ? true
        : undefined,
    );

    await ferret.stop();
    await request(t.app).get('/ready').expect(503);
    const res = await request(t.app).get('/api/v1/users/me').set(user.auth).expect(503);
    expect(res.body.code).toBe('profile.database_unavailable');
    // A permission check that cannot be made denies (503), it never allows.
    await request(t.app).get('/api/v1/users').set(user.auth).expect(503);

    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const lastLoginAt = new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString();
      ids.push(
        await t.publish({
          type: 'auth.login_succeeded',
          aggregateId: user.id,
          occurredAt: lastLoginAt,
          data: { user: { ...user.snapshot, lastLoginAt } },
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 1_500)); // the consumer keeps failing meanwhile

    await ferret.start();
    await eventually(async () => {
      const n = await db()
        .collection<AuditDoc>('audit_logs')
        .countDocuments({ eventId: { $in: ids } });
      return n === ids.length ? n : undefined;
    }, 30_000);
    const counts = await db()
      .collection<AuditDoc>('audit_logs')
      .aggregate<{ _id: string; n: number }>([
        { $match: { eventId: { $in: ids } } },
        { $group: { _id: '$eventId', n: { $sum: 1 } } },
      ])
      .toArray();
    expect(counts).toHaveLength(20);
    expect(counts.every((c) => c.n === 1)).toBe(true);
    const profile = await db().collection<ProfileDoc>('user_profiles').findOne({ _id: user.id });
    expect(profile?.lastLoginAt).toEqual(new Date(Date.UTC(2030, 0, 1, 0, 0, 19)));
    await eventually(async () =>
      ((await t.redis.xpending(t.config.EVENTS_STREAM, t.config.EVENTS_GROUP)) as [number])[0] === 0
        ? true
        : undefined,
    );
    await request(t.app).get('/ready').expect(200);
    await request(t.app).get('/api/v1/users/me').set(user.auth).expect(200);
  });
});

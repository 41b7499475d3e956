import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { BSON } from 'mongodb';
import { createLogger } from '@ums/service-kit/logger';
import { defaultPreferences, type ProfileDoc } from '../domain/profile-model.ts';
import { eventually } from '../test/harness.ts';
import { createProfileCache, type ProfileCache } from './profile-cache.ts';

const url = () => {
  const value = process.env.REDIS_URL;
  if (!value) throw new Error('REDIS_URL is not set (load .local/env first)');
  return value;
};

function profile(userId: string, firstName: string): ProfileDoc {
  const at = new Date('2025-01-01T00:00:00Z');
  return {
    _id: userId,
    userId,
    email: `${userId}@example.test`,
    emailLower: `${userId}@example.test`,
    role: 'user',
    status: 'active',
    emailVerified: true,
    mfaEnabled: false,
    createdAt: at,
    lastLoginAt: null,
    firstName,
    lastName: null,
    displayName: null,
    bio: null,
    phone: null,
    location: null,
    website: null,
    jobTitle: null,
    company: null,
    sortName: firstName.toLowerCase(),
    preferences: defaultPreferences,
    avatar: null,
    updatedAt: at,
  };
}

describe('profile cache with the in-process near cache (real Redis)', () => {
  const prefix = `test:${randomUUID()}:`;
  const logger = createLogger({ name: 'profile-cache-test', level: 'silent' });
  let redis: Redis;
  // Another replica's view of the same Redis: its writes must reach our near cache.
  let other: Redis;
  let cache: ProfileCache;
  const key = (userId: string) => `${prefix}profile:${userId}`;
  const spyGets = () => jest.spyOn(redis, 'getBuffer');

  beforeAll(async () => {
    redis = new Redis(url(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    other = new Redis(url(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await Promise.all([redis.connect(), other.connect()]);
    cache = createProfileCache({
      redis,
      prefix,
      ttlSeconds: 30,
      logger,
      local: { ttlMs: 60_000, maxEntries: 100 },
    });
    await cache.start();
  });
  afterAll(async () => {
    cache?.stop();
    const keys = await other.keys(`${prefix}*`);
    if (keys.length) await other.del(...keys);
    redis?.disconnect();
    other?.disconnect();
  });
  afterEach(() => jest.restoreAllMocks());

  /** Reads until a Redis hit has been kept in process (our own fill's invalidation may race it). */
  async function warm(userId: string): Promise<void> {
    await eventually(
      async () => {
        await cache.get(userId);
        const gets = spyGets();
        const doc = await cache.get(userId);
        const local = gets.mock.calls.length === 0;
        gets.mockRestore();
        return doc && local ? true : undefined;
      },
      5_000,
      20,
    );
  }

  it('when a profile was read from Redis, then the next read answers from memory, frozen', async () => {
    const id = randomUUID();
    await cache.set(id, profile(id, 'Ada'));
    await warm(id);
    const gets = spyGets();
    const doc = await cache.get(id);
    expect(gets).not.toHaveBeenCalled();
    expect(doc?.firstName).toBe('Ada');
    expect(Object.isFrozen(doc)).toBe(true);
    expect(Object.isFrozen(doc?.preferences.notifications)).toBe(true);
  });

  it('when another replica invalidates or rewrites the entry, then the near cache drops it', async () => {
    const id = randomUUID();
    await cache.set(id, profile(id, 'Ada'));
    await warm(id);
    await other.set(key(id), Buffer.from(BSON.serialize(profile(id, 'Grace'))), 'EX', 30);
    await eventually(async () => ((await cache.get(id))?.firstName === 'Grace' ? true : undefined));

    await other.del(key(id));
    await eventually(async () => ((await cache.get(id)) === undefined ? true : undefined));
  });

  it('when this replica invalidates, then its own near cache forgets at once', async () => {
    const id = randomUUID();
    await cache.set(id, profile(id, 'Ada'));
    await warm(id);
    await cache.invalidate(id);
    expect(await cache.get(id)).toBeUndefined();
  });

  it('when an invalidation overtakes a read in flight, then the read is not kept', async () => {
    const id = randomUUID();
    await cache.set(id, profile(id, 'Ada'));
    await warm(id);
    await cache.invalidate(id);
    await cache.set(id, profile(id, 'Ada'));
    // The GET is sent first; the invalidation is issued before its reply is handled.
    const reading = cache.get(id);
    const invalidating = cache.invalidate(id);
    expect((await reading)?.firstName).toBe('Ada');
    await invalidating;
    expect(await cache.get(id)).toBeUndefined();
  });

  it('when the entry in Redis expires, then the near cache drops it too', async () => {
    const id = randomUUID();
    await cache.set(id, profile(id, 'Ada'));
    await warm(id);
    await other.pexpire(key(id), 50);
    await eventually(async () => ((await cache.get(id)) === undefined ? true : undefined));
  });

  it('when the invalidation connection drops, then the near cache is emptied and bypassed until it is back', async () => {
    const id = randomUUID();
    await cache.set(id, profile(id, 'Ada'));
    await warm(id);
    const list = String(await other.client('LIST'));
    const line = list.split('\n').find((l) => l.includes(` name=${prefix}profile:near-cache `));
    const trackerId = /^id=(\d+)/.exec(line ?? '')?.[1];
    expect(trackerId).toBeDefined();
    await other.client('KILL', 'ID', trackerId as string);
    // While it is away (or just back), a change made meanwhile is never hidden by memory.
    await other.set(key(id), Buffer.from(BSON.serialize(profile(id, 'Grace'))), 'EX', 30);
    expect((await cache.get(id))?.firstName).toBe('Grace');
    // Back after the reconnect: hits are kept in memory again.
    await warm(id);
  });
});

describe('profile cache without a near cache', () => {
  it('when local is not configured, then every read goes to Redis', async () => {
    const redis = new Redis(url(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    const prefix = `test:${randomUUID()}:`;
    const cache = createProfileCache({
      redis,
      prefix,
      ttlSeconds: 30,
      logger: createLogger({ name: 'profile-cache-test', level: 'silent' }),
    });
    await cache.start();
    const id = randomUUID();
    try {
      await cache.set(id, profile(id, 'Ada'));
      await cache.get(id);
      const gets = jest.spyOn(redis, 'getBuffer');
      expect((await cache.get(id))?.firstName).toBe('Ada');
      expect(gets).toHaveBeenCalledTimes(1);
    } finally {
      cache.stop();
      await redis.del(`${prefix}profile:${id}`).catch(() => undefined);
      redis.disconnect();
    }
  });
});

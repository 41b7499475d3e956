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

/** Fills the cache the way a miss does: read, load, store. */
const fill = (cache: ProfileCache, id: string, firstName: string) =>
  cache.read(id, () => Promise.resolve(profile(id, firstName)));

/** What the cache holds for id: undefined when reading it had to load from the database. */
async function cached(cache: ProfileCache, id: string): Promise<ProfileDoc | undefined> {
  let loaded = false;
  const doc = await cache.read(id, () => {
    loaded = true;
    return Promise.resolve(null);
  });
  return loaded ? undefined : (doc ?? undefined);
}

describe('profile cache with the in-process near cache (real Redis)', () => {
  const prefix = `test:${randomUUID()}:`;
  const logger = createLogger({ name: 'profile-cache-test', level: 'silent' });
  let redis: Redis;
  // Another replica's view of the same Redis: its writes must reach our near cache.
  let other: Redis;
  let cache: ProfileCache;
  const key = (userId: string) => `${prefix}profile:${userId}`;
  const spyGets = () => jest.spyOn(redis, 'mgetBuffer');

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
        await cached(cache, userId);
        const gets = spyGets();
        const doc = await cached(cache, userId);
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
    await fill(cache, id, 'Ada');
    await warm(id);
    const gets = spyGets();
    const doc = await cached(cache, id);
    expect(gets).not.toHaveBeenCalled();
    expect(doc?.firstName).toBe('Ada');
    expect(Object.isFrozen(doc)).toBe(true);
    expect(Object.isFrozen(doc?.preferences.notifications)).toBe(true);
  });

  it('when another replica invalidates or rewrites the entry, then the near cache drops it', async () => {
    const id = randomUUID();
    await fill(cache, id, 'Ada');
    await warm(id);
    await other.set(key(id), Buffer.from(BSON.serialize(profile(id, 'Grace'))), 'EX', 30);
    await eventually(async () =>
      (await cached(cache, id))?.firstName === 'Grace' ? true : undefined,
    );

    await other.del(key(id));
    await eventually(async () => ((await cached(cache, id)) === undefined ? true : undefined));
  });

  it('when this replica invalidates, then its own near cache forgets at once', async () => {
    const id = randomUUID();
    await fill(cache, id, 'Ada');
    await warm(id);
    await cache.invalidate(id);
    expect(await cached(cache, id)).toBeUndefined();
  });

  it('when an invalidation overtakes a read in flight, then the read is not kept', async () => {
    const id = randomUUID();
    await fill(cache, id, 'Ada');
    await warm(id);
    await cache.invalidate(id);
    await fill(cache, id, 'Ada');
    // The GET is sent first; the invalidation is issued before its reply is handled.
    const reading = cached(cache, id);
    const invalidating = cache.invalidate(id);
    expect((await reading)?.firstName).toBe('Ada');
    await invalidating;
    expect(await cached(cache, id)).toBeUndefined();
  });

  it('when the entry in Redis expires, then the near cache drops it too', async () => {
    const id = randomUUID();
    await fill(cache, id, 'Ada');
    await warm(id);
    await other.pexpire(key(id), 50);
    await eventually(async () => ((await cached(cache, id)) === undefined ? true : undefined));
  });

  it('when the invalidation connection drops, then the near cache is emptied and bypassed until it is back', async () => {
    const id = randomUUID();
    await fill(cache, id, 'Ada');
    await warm(id);
    const list = String(await other.client('LIST'));
    const line = list.split('\n').find((l) => l.includes(` name=${prefix}profile:near-cache `));
    const trackerId = /^id=(\d+)/.exec(line ?? '')?.[1];
    expect(trackerId).toBeDefined();
    await other.client('KILL', 'ID', trackerId as string);
    // While it is away (or just back), a change made meanwhile is never hidden by memory.
    await other.set(key(id), Buffer.from(BSON.serialize(profile(id, 'Grace'))), 'EX', 30);
    expect((await cached(cache, id))?.firstName).toBe('Grace');
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
      await fill(cache, id, 'Ada');
      await cached(cache, id);
      const gets = jest.spyOn(redis, 'mgetBuffer');
      expect((await cached(cache, id))?.firstName).toBe('Ada');
      expect(gets).toHaveBeenCalledTimes(1);
    } finally {
      cache.stop();
      await redis
        .del(`${prefix}profile:${id}`, `${prefix}profile-generation:${id}`)
        .catch(() => undefined);
      redis.disconnect();
    }
  });
});

describe('profile cache fills racing writes (real Redis)', () => {
  const prefix = `test:${randomUUID()}:`;
  const logger = createLogger({ name: 'profile-cache-test', level: 'silent' });
  let redis: Redis;
  let other: Redis;
  let cache: ProfileCache;
  // Another replica: same Redis, its own connection and near cache.
  let replica: ProfileCache;

  beforeAll(async () => {
    redis = new Redis(url(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    other = new Redis(url(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await Promise.all([redis.connect(), other.connect()]);
    const local = { ttlMs: 60_000, maxEntries: 100 };
    cache = createProfileCache({ redis, prefix, ttlSeconds: 30, logger, local });
    replica = createProfileCache({ redis: other, prefix, ttlSeconds: 30, logger, local });
    await Promise.all([cache.start(), replica.start()]);
  });
  afterAll(async () => {
    cache?.stop();
    replica?.stop();
    const keys = await other.keys(`${prefix}*`);
    if (keys.length) await other.del(...keys);
    redis?.disconnect();
    other?.disconnect();
  });

  /** A miss whose database read returns the old document only once `write` has run. */
  async function missOverlappingWrite(id: string, write: () => Promise<void>) {
    let release: (doc: ProfileDoc) => void = () => undefined;
    let loading: () => void = () => undefined;
    const loadStarted = new Promise<void>((resolve) => (loading = resolve));
    const reading = cache.read(id, () => {
      loading();
      return new Promise<ProfileDoc>((resolve) => (release = resolve));
    });
    await loadStarted;
    await write();
    release(profile(id, 'Ada'));
    return reading;
  }

  it.each([
    ['this replica', () => cache],
    ['another replica', () => replica],
  ])(
    'when %s invalidates while a miss is loading the old document, then the old document is not stored',
    async (_who, writer) => {
      const id = randomUUID();
      const read = await missOverlappingWrite(id, () => writer().invalidate(id));
      expect(read?.firstName).toBe('Ada'); // the reader gets what it loaded, once
      expect(await cached(cache, id)).toBeUndefined();
      expect(await cached(replica, id)).toBeUndefined();
      // The next miss loads the written document and may store it.
      await fill(replica, id, 'Grace');
      expect((await cached(cache, id))?.firstName).toBe('Grace');
    },
  );

  it('when no write overlaps a miss, then the loaded document is stored for every replica', async () => {
    const id = randomUUID();
    await missOverlappingWrite(id, () => Promise.resolve());
    expect((await cached(replica, id))?.firstName).toBe('Ada');
  });
});

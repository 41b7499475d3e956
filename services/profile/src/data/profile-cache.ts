import type { Redis } from 'ioredis';
import { BSON } from 'mongodb';
import type { Logger } from '@ums/service-kit/logger';
import type { ProfileDoc } from '../domain/profile-model.ts';

/**
 * Read-through cache of profile documents in Redis (shared by every replica), invalidated after
 * each write. Best effort: a Redis error is a cache miss, never a failed request. A write made
 * while Redis is unreachable cannot invalidate, so entries live only `ttlSeconds`.
 *
 * A fill never puts back what a write replaced: a miss reads the key's generation together with
 * the (absent) entry, and the document loaded from the database is stored only if no
 * invalidation bumped that generation meanwhile (one Lua script, compare and set). Without it, a
 * read that loaded the document just before a write, and stored it just after the write's
 * invalidation, would serve the old document (an avatar upload followed by `GET /users/me`
 * without `avatarUrl`) until the entry expired.
 *
 * With `local`, the documents read from Redis are also kept in this process (a near cache), so a
 * hit costs no round trip. Redis tells this process when a cached key changes (client-side
 * caching: `CLIENT TRACKING ... BCAST` on a connection of its own, invalidations as
 * `__redis__:invalidate` messages), whoever changed it: another replica's invalidation, a cache
 * fill, expiry, a flush. While that connection is not subscribed, the near cache is empty and
 * bypassed; a read that an invalidation overtook is not kept; entries live at most
 * `local.ttlMs`, never longer than the Redis entry.
 */
export interface ProfileCache {
  /**
   * The cached document, else `load()`'s, which is then cached unless an invalidation came
   * first; null (no such profile) is never cached.
   */
  read(userId: string, load: () => Promise<ProfileDoc | null>): Promise<ProfileDoc | null>;
  invalidate(userId: string): Promise<void>;
  /** Opens the invalidation connection of the near cache (no-op without one). */
  start(): Promise<void>;
  stop(): void;
}

export interface LocalCacheOptions {
  ttlMs: number;
  maxEntries: number;
}

export const INVALIDATION_CHANNEL = '__redis__:invalidate';

// KEYS: entry, generation; ARGV: the generation read with the miss ('' when none), ttl, document.
const FILL_IF_UNCHANGED = `
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[2])
return 1`;

/** Cached documents are shared between requests: nothing may change them. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function createProfileCache(options: {
  redis: Redis;
  prefix: string;
  ttlSeconds: number;
  logger: Logger;
  local?: LocalCacheOptions;
}): ProfileCache {
  const { redis, ttlSeconds, logger } = options;
  const keyPrefix = `${options.prefix}profile:`;
  const key = (userId: string) => `${keyPrefix}${userId}`;
  // Outside keyPrefix on purpose: bumping it must not send near-cache invalidations of its own.
  const generationKey = (userId: string) => `${options.prefix}profile-generation:${userId}`;
  const quietly = async <T>(what: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      logger.debug({ err: error }, `profile cache ${what} failed`);
      return undefined;
    }
  };

  const localTtlMs = Math.min(options.local?.ttlMs ?? 0, ttlSeconds * 1000);
  const maxEntries = options.local?.maxEntries ?? 0;
  const nearEnabled = localTtlMs > 0 && maxEntries > 0;
  const near = new Map<string, { doc: ProfileDoc; until: number }>();
  // True only while the tracking connection is subscribed: invalidations are reaching us.
  let live = false;
  // Bumped by every invalidation: a Redis read that one overtook is not kept.
  let epoch = 0;
  let tracker: Redis | undefined;
  let subscribing: Promise<void> = Promise.resolve();

  const forgetAll = () => {
    near.clear();
    epoch += 1;
  };
  const forget = (userId: string) => {
    near.delete(userId);
    epoch += 1;
  };

  function onInvalidation(_channel: Buffer, keys: unknown) {
    // A null (or unexpected) payload means "everything": FLUSHALL, FLUSHDB, tracking overflow.
    if (!Array.isArray(keys)) {
      forgetAll();
      return;
    }
    epoch += 1;
    for (const raw of keys) {
      const text = String(raw);
      if (text.startsWith(keyPrefix)) near.delete(text.slice(keyPrefix.length));
    }
  }

  function remember(userId: string, doc: ProfileDoc) {
    if (near.size >= maxEntries) near.delete(near.keys().next().value as string);
    near.set(userId, { doc: deepFreeze(doc), until: Date.now() + localTtlMs });
  }

  async function subscribe(connection: Redis): Promise<void> {
    try {
      const id = await connection.client('ID');
      await connection.call(
        'CLIENT',
        'TRACKING',
        'ON',
        'REDIRECT',
        String(id),
        'BCAST',
        'PREFIX',
        keyPrefix,
      );
      await connection.subscribe(INVALIDATION_CHANNEL);
      if (connection !== tracker) return;
      forgetAll();
      live = true;
    } catch (error) {
      logger.warn({ err: error }, 'profile near cache: invalidation tracking failed; bypassed');
      live = false;
      forgetAll();
    }
  }

  return {
    async read(userId, load) {
      if (live) {
        const entry = near.get(userId);
        if (entry) {
          if (entry.until > Date.now()) return entry.doc;
          near.delete(userId);
        }
      }
      const started = epoch;
      // Binary BSON: exact types (dates) and cheaper to decode than Extended JSON.
      const found = await quietly('get', () =>
        redis.mgetBuffer(key(userId), generationKey(userId)),
      );
      const raw = found?.[0];
      if (raw) {
        const doc = BSON.deserialize(raw) as ProfileDoc;
        if (live && epoch === started) remember(userId, doc);
        return doc;
      }
      const doc = await load();
      // Redis unreachable for the lookup: no generation to compare with, so nothing is stored.
      if (doc && found) {
        const generation = found[1]?.toString() ?? '';
        await quietly('fill', () =>
          redis.eval(
            FILL_IF_UNCHANGED,
            2,
            key(userId),
            generationKey(userId),
            generation,
            ttlSeconds,
            Buffer.from(BSON.serialize(doc)),
          ),
        );
      }
      return doc;
    },
    async invalidate(userId) {
      forget(userId);
      // The generation outlives any fill that could have read the old one.
      await quietly('invalidate', () =>
        redis
          .multi()
          .del(key(userId))
          .incr(generationKey(userId))
          .expire(generationKey(userId), ttlSeconds * 2 + 60)
          .exec(),
      );
    },
    async start() {
      if (!nearEnabled || tracker) return;
      // RESP2: invalidations then arrive as ordinary pub/sub messages on this connection (under
      // RESP3 they would be push frames ioredis does not surface). Subscriptions are redone by
      // hand on every connect, since tracking has to be switched on again first.
      const connection = redis.duplicate({
        protocol: 2,
        lazyConnect: true,
        autoResubscribe: false,
        enableOfflineQueue: true,
        connectionName: `${keyPrefix}near-cache`,
      });
      tracker = connection;
      connection.on('messageBuffer', onInvalidation);
      connection.on('ready', () => {
        subscribing = subscribe(connection);
      });
      connection.on('close', () => {
        live = false;
        forgetAll();
      });
      connection.on('error', (error: Error) =>
        logger.debug({ err: error }, 'profile near cache connection error'),
      );
      await connection.connect().catch((error: unknown) => {
        logger.warn({ err: error }, 'profile near cache: Redis unavailable at start; bypassed');
      });
      await subscribing;
    },
    stop() {
      live = false;
      forgetAll();
      tracker?.disconnect();
      tracker = undefined;
    },
  };
}

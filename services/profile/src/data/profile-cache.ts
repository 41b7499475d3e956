import type { Redis } from 'ioredis';
import { BSON } from 'mongodb';
import type { Logger } from '@ums/service-kit/logger';
import type { ProfileDoc } from '../domain/profile-model.ts';

/**
 * Read-through cache of profile documents in Redis (shared by every replica), invalidated after
 * each write. Best effort: a Redis error is a cache miss, never a failed request. A write made
 * while Redis is unreachable cannot invalidate, so entries live only `ttlSeconds`.
 */
export interface ProfileCache {
  /** undefined: not cached (or Redis unavailable); null is never cached. */
  get(userId: string): Promise<ProfileDoc | undefined>;
  set(userId: string, doc: ProfileDoc): Promise<void>;
  invalidate(userId: string): Promise<void>;
}

export function createProfileCache(options: {
  redis: Redis;
  prefix: string;
  ttlSeconds: number;
  logger: Logger;
}): ProfileCache {
  const { redis, ttlSeconds, logger } = options;
  const key = (userId: string) => `${options.prefix}profile:${userId}`;
  const quietly = async <T>(what: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      logger.debug({ err: error }, `profile cache ${what} failed`);
      return undefined;
    }
  };
  return {
    async get(userId) {
      // Binary BSON: exact types (dates) and cheaper to decode than Extended JSON.
      const raw = await quietly('get', () => redis.getBuffer(key(userId)));
      return raw ? (BSON.deserialize(raw) as ProfileDoc) : undefined;
    },
    async set(userId, doc) {
      await quietly('set', () =>
        redis.set(key(userId), Buffer.from(BSON.serialize(doc)), 'EX', ttlSeconds),
      );
    },
    async invalidate(userId) {
      await quietly('invalidate', () => redis.del(key(userId)));
    },
  };
}

import type { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
import type { Logger } from '@ums/service-kit/logger';

export interface RateLimiter {
  /** Counts one use of `key`; `retryAfterSeconds` is set when the limit is exceeded. */
  consume(key: string): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

/**
 * Fixed-window limiter shared by every replica through Redis. When Redis cannot answer, an
 * in-process window takes over, so the limit still holds per replica instead of vanishing.
 */
export function createRateLimiter(options: {
  redis: Redis;
  prefix: string;
  limit: number;
  windowSeconds: number;
  logger: Logger;
  /** The limiter's name in `ums_http_throttled_requests_total{limiter}`; every refusal is a 429. */
  name?: string;
  refusals?: Counter<'limiter'>;
}): RateLimiter {
  const { redis, limit, windowSeconds, logger } = options;
  const local = new Map<string, { count: number; resetAt: number }>();

  function consumeLocally(key: string) {
    const now = Date.now();
    let window = local.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      local.set(key, window);
    }
    window.count += 1;
    if (local.size > 10_000) for (const [k, w] of local) if (w.resetAt <= now) local.delete(k);
    return { count: window.count, ttl: Math.ceil((window.resetAt - now) / 1000) };
  }

  return {
    async consume(key) {
      const redisKey = `${options.prefix}ratelimit:${key}`;
      let state: { count: number; ttl: number };
      try {
        const results = await redis
          .multi()
          .incr(redisKey)
          .expire(redisKey, windowSeconds, 'NX')
          .ttl(redisKey)
          .exec();
        const count = Number(results?.[0]?.[1]);
        if (!results || results.some(([error]) => error) || !Number.isFinite(count)) {
          throw new Error('rate limit transaction failed');
        }
        state = { count, ttl: Math.max(1, Number(results[2]?.[1])) };
      } catch (error) {
        logger.debug({ err: error }, 'rate limiter falls back to memory');
        state = consumeLocally(key);
      }
      const allowed = state.count <= limit;
      if (!allowed) options.refusals?.inc({ limiter: options.name ?? 'rate_limit' });
      return { allowed, retryAfterSeconds: allowed ? 0 : state.ttl };
    },
  };
}

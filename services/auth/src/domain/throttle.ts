import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { tooManyRequests, type AppError } from '@ums/service-kit/errors';
import type { Logger } from '@ums/service-kit/logger';

/**
 * A budget of `points` events per `durationSeconds`; a key that spends it is refused for
 * `blockSeconds`. Counted in Redis, so every replica shares the count.
 */
export interface ThrottleRule {
  name: string;
  points: number;
  durationSeconds: number;
  blockSeconds: number;
}

/**
 * The defaults (documented in docs/passwords-and-login.md). They sit on top of the per-account
 * lockout in PostgreSQL (5 consecutive failures, 15 minutes, progressive), which is the real
 * defence for one account; these keep one address or one target from costing us unbounded
 * argon2 work and stop credential stuffing.
 */
export const throttleRules = {
  /** Every sign-in request from one address: well above the 30 a minute a busy office NAT needs. */
  loginPerAddress: { name: 'login_ip', points: 60, durationSeconds: 60, blockSeconds: 60 },
  /** Failed sign-ins from one address, whatever the account: credential stuffing. */
  loginFailuresPerAddress: {
    name: 'login_ip_failures',
    points: 40,
    durationSeconds: 10 * 60,
    blockSeconds: 30 * 60,
  },
  /** Failed password checks for one email (known or not, so it reveals nothing), incl. password change. */
  loginFailuresPerAccount: {
    name: 'login_account_failures',
    points: 10,
    durationSeconds: 15 * 60,
    blockSeconds: 15 * 60,
  },
  registerPerAddress: {
    name: 'register_ip',
    points: 20,
    durationSeconds: 60 * 60,
    blockSeconds: 60 * 60,
  },
  /** forgot-password requests from one address. */
  recoveryPerAddress: {
    name: 'recovery_ip',
    points: 10,
    durationSeconds: 15 * 60,
    blockSeconds: 15 * 60,
  },
  /** Unsolicited mail to one address (reset links, "you already have an account"); over it we stay silent. */
  mailPerAccount: {
    name: 'mail_account',
    points: 3,
    durationSeconds: 60 * 60,
    blockSeconds: 60 * 60,
  },
  /** Submissions of reset and verification tokens from one address. */
  tokenPerAddress: {
    name: 'token_ip',
    points: 30,
    durationSeconds: 15 * 60,
    blockSeconds: 15 * 60,
  },
  /** Own-data exports per user: the profile export's budget (10 a minute). */
  exportPerUser: {
    name: 'export_user',
    points: 10,
    durationSeconds: 60,
    blockSeconds: 60,
  },
  /** Verification emails a signed-in user can ask for. */
  verificationResendPerUser: {
    name: 'verify_resend',
    points: 3,
    durationSeconds: 60 * 60,
    blockSeconds: 60 * 60,
  },
} as const satisfies Record<string, ThrottleRule>;

export interface ThrottleOutcome {
  allowed: boolean;
  /** Seconds until the key may try again (when refused). */
  retryAfterSeconds: number;
  /** From `check`: events counted for the key now (undefined when the count could not be read). */
  consumed?: number;
  /** The rule that refused (its name), when refused. */
  limiter?: string;
}

export interface Throttle {
  /** Counts one event; `allowed: false` once the budget is spent. */
  consume(rule: ThrottleRule, key: string): Promise<ThrottleOutcome>;
  /** Without counting: is the key refused (budget spent or blocked)? */
  check(rule: ThrottleRule, key: string): Promise<ThrottleOutcome>;
  /** Counts one failure; when that spends the budget the key is blocked for `blockSeconds`. */
  recordFailure(rule: ThrottleRule, key: string): Promise<void>;
  reset(rule: ThrottleRule, key: string): Promise<void>;
  /**
   * The 429 for a refused outcome, counted in `ums_http_throttled_requests_total{limiter}`. Only
   * refusals the caller answers with 429 go through here (an exhausted mail budget stays silent).
   */
  refuse(outcome: ThrottleOutcome, code?: string): AppError;
}

/** The 429 answer, with Retry-After. */
export function throttled(outcome: ThrottleOutcome, code = 'auth.too_many_attempts') {
  return tooManyRequests(code, 'Too many attempts. Try again later.', {
    headers: { 'Retry-After': String(Math.max(1, outcome.retryAfterSeconds)) },
  });
}

/** Counts one event and throws 429 when the budget is spent. */
export async function enforce(
  throttle: Throttle,
  rule: ThrottleRule,
  key: string,
  code?: string,
): Promise<void> {
  const outcome = await throttle.consume(rule, key);
  if (!outcome.allowed) throw throttle.refuse(outcome, code);
}

/** Emails and user ids are hashed into keys: Redis holds counters, not addresses. */
export function accountKey(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url').slice(0, 32);
}

const retryAfter = (ms: number) => Math.ceil(ms / 1000);

/**
 * Rate limits in Redis (rate-limiter-flexible). Each limiter is insured by an in-process one:
 * while Redis is down or slow the container's client fails fast (no offline queue, 2 s command
 * timeout) and the count moves to memory, so limits still hold per replica instead of failing
 * open or failing every sign-in.
 */
export function createThrottle(deps: {
  redis: Redis;
  keyPrefix: string;
  logger: Logger;
  /** `ums_http_throttled_requests_total` (the kit's throttledRequestsCounter). */
  refusals?: Counter<'limiter'>;
}): Throttle {
  const limiters = new Map<string, RateLimiterRedis>();

  function limiter(rule: ThrottleRule): RateLimiterRedis {
    let found = limiters.get(rule.name);
    if (!found) {
      const options = {
        keyPrefix: `${deps.keyPrefix}rl:${rule.name}`,
        points: rule.points,
        duration: rule.durationSeconds,
        blockDuration: rule.blockSeconds,
      };
      found = new RateLimiterRedis({
        ...options,
        storeClient: deps.redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      });
      limiters.set(rule.name, found);
    }
    return found;
  }

  // Only RateLimiterRes means "over the limit"; anything else is a fault of both stores, and a
  // throttle that cannot count must not take sign-in down with it.
  function fault(rule: ThrottleRule, error: unknown): ThrottleOutcome {
    deps.logger.warn(
      { err: error, rule: rule.name },
      'rate limiter unavailable; request not counted',
    );
    return { allowed: true, retryAfterSeconds: 0 };
  }

  return {
    async consume(rule, key) {
      try {
        await limiter(rule).consume(key);
        return { allowed: true, retryAfterSeconds: 0 };
      } catch (error) {
        if (error instanceof RateLimiterRes)
          return {
            allowed: false,
            retryAfterSeconds: retryAfter(error.msBeforeNext),
            limiter: rule.name,
          };
        return fault(rule, error);
      }
    },

    async check(rule, key) {
      try {
        const res = await limiter(rule).get(key);
        const consumed = res?.consumedPoints ?? 0;
        if (res && consumed >= rule.points)
          return {
            allowed: false,
            retryAfterSeconds: retryAfter(res.msBeforeNext),
            consumed,
            limiter: rule.name,
          };
        return { allowed: true, retryAfterSeconds: 0, consumed };
      } catch (error) {
        return fault(rule, error);
      }
    },

    async recordFailure(rule, key) {
      const l = limiter(rule);
      try {
        const res = await l.consume(key);
        if (res.remainingPoints === 0) await l.block(key, rule.blockSeconds);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) fault(rule, error);
      }
    },

    refuse(outcome, code) {
      deps.refusals?.inc({ limiter: outcome.limiter ?? 'unknown' });
      return throttled(outcome, code);
    },

    async reset(rule, key) {
      try {
        await limiter(rule).delete(key);
      } catch (error) {
        fault(rule, error);
      }
    },
  };
}

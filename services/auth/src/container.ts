import { Redis } from 'ioredis';
import { createHealth } from '@ums/service-kit/health';
import type { Logger } from '@ums/service-kit/logger';
import { createMetrics } from '@ums/service-kit/metrics';
import { registerPgPoolMetrics, registerRedisConnected } from '@ums/service-kit/pool-metrics';
import {
  createSessionRevocations,
  revocationConnection,
  revocationStreamOf,
} from '@ums/service-kit/session-revocations';
import type { AuthConfig } from './config.ts';
import { createDb, type Queryable } from './data/db.ts';
import { createUsersRepository } from './data/users-repository.ts';
import { createBusinessMetrics } from './domain/business-metrics.ts';
import { createSealer } from './domain/crypto.ts';
import { registerPipelineMetrics } from './domain/pipeline-metrics.ts';
import { createSessionIssuer } from './domain/sessions.ts';
import { createSigningKeys } from './domain/signing-keys.ts';
import { createTokenSigner } from './domain/tokens.ts';
import { createAccessControl } from './routes/access-control.ts';

/**
 * Wires the service's shared pieces in one place. Nothing connects at import time; tests build
 * their own container against their own database and Redis key prefix.
 */
export function createContainer(config: AuthConfig, logger: Logger) {
  const db = createDb({
    connectionString: config.DATABASE_URL,
    max: config.DATABASE_POOL_MAX,
    logger,
  });
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    // Fail fast while Redis is away: limiters fall back to memory, the outbox relay retries later.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
  });
  redis.on('error', (error: Error) => logger.debug({ err: error }, 'Redis connection error'));

  const metrics = createMetrics({ serviceName: config.SERVICE_NAME });
  const business = createBusinessMetrics(metrics.registry);
  const users = createUsersRepository();
  const keys = createSigningKeys({
    db,
    sealer: createSealer(config.TOKEN_KEK, 'signing-keys'),
    accessTokenTtl: config.ACCESS_TOKEN_TTL,
    rotationInterval: config.KEY_ROTATION_INTERVAL,
  });
  registerPgPoolMetrics(metrics.registry, db);
  registerRedisConnected(metrics.registry, 'main', redis);
  registerPipelineMetrics({
    registry: metrics.registry,
    db,
    redis,
    stream: config.EVENTS_STREAM,
    activeKeyAgeSeconds: () => keys.activeKeyAgeSeconds(),
    rotationIntervalSeconds: config.KEY_ROTATION_INTERVAL,
    logger,
  });
  const signer = createTokenSigner({
    keys,
    issuer: config.ISSUER,
    audience: config.AUDIENCE,
    accessTokenTtl: config.ACCESS_TOKEN_TTL,
    mfaTokenTtl: config.MFA_TOKEN_TTL,
  });
  const rolePermissions = async (role: string, q: Queryable = db) => {
    const { rows } = await q.query<{ permissions: string[] }>(
      'SELECT permissions FROM roles WHERE name = $1',
      [role],
    );
    return rows[0]?.permissions ?? [];
  };
  const sessions = createSessionIssuer({
    signer,
    permissionsOf: rolePermissions,
    absoluteTtl: config.REFRESH_ABSOLUTE_TTL,
    idleTtl: config.REFRESH_IDLE_TTL,
  });
  const revocationStream = config.REVOCATION_STREAM ?? revocationStreamOf(config.EVENTS_STREAM);
  const revocations = createSessionRevocations({
    connection: revocationConnection(redis, logger),
    stream: revocationStream,
    maxStalenessMs: config.REVOCATION_MAX_STALENESS_MS,
    logger,
  });
  const access = createAccessControl({
    revocations,
    keys,
    issuer: config.ISSUER,
    audience: config.AUDIENCE,
    trustedProxies: config.TRUSTED_PROXIES,
    permissionsOf: (userId) => users.permissionsOf(db, userId),
    mfaRequiredRoles: config.MFA_REQUIRED_ROLES,
  });
  const health = createHealth({
    // Redis is left out on purpose: without it the service degrades (in-memory limiters, events
    // wait in the outbox) instead of failing, so it must not take every replica out of rotation.
    checks: { postgres: () => db.query('SELECT 1') },
    logger,
  });
  const sealTotp = createSealer(config.TOKEN_KEK, 'totp-secrets');

  return {
    config,
    logger,
    db,
    redis,
    metrics,
    business,
    users,
    keys,
    signer,
    sessions,
    access,
    revocationStream,
    revocations,
    health,
    sealTotp,
    rolePermissions,
    lockoutPolicy: {
      threshold: config.LOCKOUT_THRESHOLD,
      durationSeconds: config.LOCKOUT_DURATION,
    },
    passwordPolicy: {
      minLength: config.PASSWORD_MIN_LENGTH,
      maxLength: config.PASSWORD_MAX_LENGTH,
    },
    /** Background work started by `start()`; `stop()` ends it. Features register theirs here. */
    background: [] as { name: string; start: () => void; stop: () => Promise<void> }[],

    async start(): Promise<void> {
      await redis
        .connect()
        .catch((error: unknown) =>
          logger.warn({ err: error }, 'Redis unavailable at start; continuing'),
        );
      await keys.ensureKey();
      // Access tokens are refused (503) until the ended-session list has been read once.
      revocations.start();
      if (!(await revocations.ready(2_000)))
        logger.warn('session revocations not read yet; access tokens get 503 until they are');
      for (const task of this.background) task.start();
    },

    async stop(): Promise<void> {
      for (const task of [...this.background].reverse()) await task.stop();
      await revocations.stop();
      redis.disconnect();
      await db.end();
    },
  };
}

export type Container = ReturnType<typeof createContainer>;

import { Redis } from 'ioredis';
import { createHealth } from '@ums/service-kit/health';
import type { Logger } from '@ums/service-kit/logger';
import { createMetrics } from '@ums/service-kit/metrics';
import {
  registerMongoPoolMetrics,
  registerRedisConnected,
  throttledRequestsCounter,
} from '@ums/service-kit/pool-metrics';
import {
  createSessionRevocations,
  revocationConnection,
  revocationStreamOf,
} from '@ums/service-kit/session-revocations';
import type { ProfileConfig } from './config.ts';
import { createAuditRepository } from './data/audit-repository.ts';
import { createDirectoryRepository } from './data/directory-repository.ts';
import { consumerConnection, createEventConsumer } from './data/event-consumer.ts';
import { createMongo } from './data/mongo.ts';
import { createProfileCache } from './data/profile-cache.ts';
import { createProfilesRepository } from './data/profiles-repository.ts';
import { createRateLimiter } from './data/rate-limiter.ts';
import { createLocalStorage } from './data/storage/local-storage.ts';
import type { ObjectStorage } from './data/storage/object-storage.ts';
import { createS3Storage } from './data/storage/s3-storage.ts';
import { createAuditService } from './domain/audit-service.ts';
import { createAvatarService } from './domain/avatars.ts';
import { createDirectoryService } from './domain/directory-service.ts';
import { createEventHandler } from './domain/event-handler.ts';
import { createExportService } from './domain/exports.ts';
import { createProfileService } from './domain/profiles.ts';
import { createRetentionPurge } from './domain/retention.ts';
import { createAccessControl } from './routes/access-control.ts';

export interface BackgroundTask {
  name: string;
  start(): void;
  stop(): Promise<void>;
}

function createStorage(config: ProfileConfig): ObjectStorage {
  if (config.AVATAR_STORAGE === 'local') return createLocalStorage(config.AVATAR_LOCAL_DIR);
  return createS3Storage({
    bucket: config.S3_BUCKET as string,
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    prefix: config.S3_PREFIX,
  });
}

/**
 * Wires the service's pieces in one place. Nothing connects at construction (the MongoDB driver
 * and Redis connect lazily); `start()` starts the background work, `stop()` ends it. Tests build
 * their own container against their own database, stream and key prefix.
 */
export function createContainer(
  config: ProfileConfig,
  logger: Logger,
  overrides: { storage?: ObjectStorage } = {},
) {
  const mongo = createMongo(config, logger);
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    // Fail fast while Redis is away: the cache misses, limiters fall back to memory.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
  });
  redis.on('error', (error: Error) => logger.debug({ err: error }, 'Redis connection error'));

  const metrics = createMetrics({ serviceName: config.SERVICE_NAME });
  registerMongoPoolMetrics(metrics.registry, mongo.client);
  registerRedisConnected(metrics.registry, 'main', redis);
  const cache =
    config.PROFILE_CACHE_TTL_SECONDS > 0
      ? createProfileCache({
          redis,
          prefix: config.REDIS_KEY_PREFIX,
          ttlSeconds: config.PROFILE_CACHE_TTL_SECONDS,
          logger,
          local: {
            ttlMs: config.PROFILE_LOCAL_CACHE_TTL_MS,
            maxEntries: config.PROFILE_LOCAL_CACHE_MAX,
          },
        })
      : undefined;
  const profiles = createProfilesRepository(mongo.db, cache);
  const audit = createAuditRepository(mongo.db);
  const directory = createDirectoryRepository(mongo.db);
  const storage = overrides.storage ?? createStorage(config);

  const avatars = createAvatarService({
    profiles,
    storage,
    maxPixels: config.AVATAR_MAX_PIXELS,
    logger,
  });
  const profileService = createProfileService({ profiles });
  const auditService = createAuditService({ audit, retentionDays: config.AUDIT_RETENTION_DAYS });
  const directoryService = createDirectoryService({ directory });
  const exportService = createExportService({
    directory,
    audit,
    auditService,
    profileService,
    limiter: createRateLimiter({
      redis,
      prefix: config.REDIS_KEY_PREFIX,
      limit: config.EXPORT_RATE_LIMIT,
      windowSeconds: config.EXPORT_RATE_WINDOW_SECONDS,
      logger,
      name: 'export',
      refusals: throttledRequestsCounter(metrics.registry),
    }),
    maxRows: config.EXPORT_MAX_ROWS,
  });

  const revocations = createSessionRevocations({
    connection: revocationConnection(redis, logger),
    stream: config.REVOCATION_STREAM ?? revocationStreamOf(config.EVENTS_STREAM),
    maxStalenessMs: config.REVOCATION_MAX_STALENESS_MS,
    logger,
  });
  const access = createAccessControl({
    revocations,
    jwksUrl: config.AUTH_JWKS_URL,
    issuer: config.ISSUER,
    audience: config.AUDIENCE,
    trustedProxies: config.TRUSTED_PROXIES,
    cooldownMs: config.JWKS_COOLDOWN_MS,
    cacheMaxAgeMs: config.JWKS_CACHE_MAX_AGE_MS,
    timeoutMs: config.JWKS_TIMEOUT_MS,
    async accountStatusOf(userId) {
      const doc = await profiles.findById(userId);
      if (doc) return doc.status === null || doc.status === 'active' ? 'active' : 'blocked';
      return (await profiles.isErased(userId)) ? 'blocked' : 'unknown';
    },
  });
  const health = createHealth({
    // Redis is left out on purpose: without it events wait and caches miss, requests still work.
    checks: { mongodb: () => mongo.db.command({ ping: 1 }) },
    logger,
  });

  const handleEvent = createEventHandler({
    profiles,
    audit,
    removeAvatarObjects: avatars.removeObjects,
    retentionDays: config.AUDIT_RETENTION_DAYS,
  });
  const consumerRedis = consumerConnection(redis, logger);
  registerRedisConnected(metrics.registry, 'stream', consumerRedis);
  const consumer = createEventConsumer({
    redis: consumerRedis,
    stream: config.EVENTS_STREAM,
    group: config.EVENTS_GROUP,
    consumer: config.EVENTS_CONSUMER,
    handle: handleEvent,
    logger,
    registry: metrics.registry,
    batchSize: config.EVENTS_BATCH_SIZE,
    blockMs: config.EVENTS_BLOCK_MS,
    claimIdleMs: config.EVENTS_CLAIM_IDLE_MS,
    claimIntervalMs: config.EVENTS_CLAIM_INTERVAL_MS,
    retryMaxMs: config.EVENTS_RETRY_MAX_MS,
  });
  const retention = createRetentionPurge({
    purge: (now) => audit.purgeExpired(now),
    intervalMs: config.RETENTION_PURGE_INTERVAL_MS,
    logger,
  });
  const background: BackgroundTask[] = [retention, ...(config.EVENTS_ENABLED ? [consumer] : [])];

  return {
    config,
    logger,
    mongo,
    redis,
    metrics,
    storage,
    profiles,
    audit,
    directory,
    avatars,
    profileService,
    auditService,
    directoryService,
    exportService,
    access,
    revocations,
    health,
    handleEvent,
    consumer,
    retention,
    background,

    async start(): Promise<void> {
      await redis
        .connect()
        .catch((error: unknown) =>
          logger.warn({ err: error }, 'Redis unavailable at start; continuing'),
        );
      await cache?.start();
      // Access tokens are refused (503) until the ended-session list has been read once.
      revocations.start();
      if (!(await revocations.ready(2_000)))
        logger.warn('session revocations not read yet; access tokens get 503 until they are');
      for (const task of background) task.start();
    },

    async stop(): Promise<void> {
      for (const task of [...background].reverse()) await task.stop();
      await revocations.stop();
      cache?.stop();
      redis.disconnect();
      await mongo.close();
    },
  };
}

export type Container = ReturnType<typeof createContainer>;

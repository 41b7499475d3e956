import { hostname } from 'node:os';
import { z } from 'zod';
import { baseConfigSchema, booleanFromEnv, loadConfig, type Env } from '@ums/service-kit/config';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  );
const mongoUrl = z
  .string()
  .regex(/^mongodb(\+srv)?:\/\//, { error: 'must be a mongodb:// or mongodb+srv:// URI' });

/** What the database commands (`src/cli/db.ts`) need: MongoDB only. */
export const mongoConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  MONGODB_URI: mongoUrl,
  /** Database name; defaults to the URI's path, then `ums`. */
  MONGODB_DB: z.string().min(1).optional(),
  /** How long an operation waits for a reachable server before failing (503 for requests). */
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: positiveInt(5_000),
  MONGODB_POOL_MAX: positiveInt(20),
  /** Audit entries expire this many days after they happened (TTL index or the purge job). */
  AUDIT_RETENTION_DAYS: positiveInt(365),
});

/**
 * The profile service's configuration, parsed once at start-up. There are no secrets of its own:
 * tokens are verified with the auth service's public keys (JWKS), never a shared secret.
 */
export const profileConfigSchema = baseConfigSchema.extend({
  ...mongoConfigSchema.shape,
  SERVICE_NAME: z.string().default('profile'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8002),
  REDIS_URL: z.url(),
  REDIS_KEY_PREFIX: z.string().default('ums:profile:'),

  AUTH_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  ISSUER: z.url().default('http://localhost:8000'),
  AUDIENCE: z.string().default('ums-api'),
  /** Keys are refetched at most this often when a token names an unknown `kid`. */
  JWKS_COOLDOWN_MS: positiveInt(30_000),
  /** A cached key set older than this is refetched before use. */
  JWKS_CACHE_MAX_AGE_MS: positiveInt(10 * 60_000),
  JWKS_TIMEOUT_MS: positiveInt(5_000),

  CORS_ORIGINS: list,
  /** Proxy addresses or CIDRs whose X-Forwarded-For is believed (the gateway, the Ingress). */
  TRUSTED_PROXIES: list,

  EVENTS_STREAM: z.string().min(1).default('ums:events'),
  /** Ended sessions, written by the auth service; default `<EVENTS_STREAM>:revoked-sessions`. */
  REVOCATION_STREAM: z.string().min(1).optional(),
  /** How far behind that list may fall (Redis away) before access tokens get 503. */
  REVOCATION_MAX_STALENESS_MS: positiveInt(10_000),
  EVENTS_GROUP: z.string().min(1).default('profile'),
  /** Unique per process: entries pending on a dead consumer's name are reclaimed by the others. */
  EVENTS_CONSUMER: z.string().min(1).default(`${hostname()}-${process.pid}`),
  EVENTS_ENABLED: booleanFromEnv().default(true),
  EVENTS_BATCH_SIZE: positiveInt(100),
  EVENTS_BLOCK_MS: positiveInt(2_000),
  /** Entries delivered to a consumer and not acknowledged for this long are taken over. */
  EVENTS_CLAIM_IDLE_MS: positiveInt(60_000),
  EVENTS_CLAIM_INTERVAL_MS: positiveInt(15_000),
  /** Longest pause between retries while MongoDB or Redis is unavailable. */
  EVENTS_RETRY_MAX_MS: positiveInt(5_000),

  /** Retention purge: how often expired audit entries are deleted where TTL indexes are missing. */
  RETENTION_PURGE_INTERVAL_MS: positiveInt(60 * 60_000),

  AVATAR_STORAGE: z.enum(['local', 's3']).default('local'),
  AVATAR_LOCAL_DIR: z.string().min(1).default('.local/avatars'),
  AVATAR_MAX_BYTES: positiveInt(5 * 1024 * 1024),
  /** Decoding refuses images with more pixels than this (pixel-flood / decompression bombs). */
  AVATAR_MAX_PIXELS: positiveInt(25_000_000),
  S3_BUCKET: z.string().min(3).optional(),
  S3_REGION: z.string().default('us-east-1'),
  /** Only for S3-compatible stores (MinIO, LocalStack); AWS needs none. */
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: booleanFromEnv().default(false),
  S3_PREFIX: z.string().default('avatars/'),

  /** Longest export, in rows; larger result sets are cut (documented in the API guide). */
  EXPORT_MAX_ROWS: positiveInt(1_000_000),
  /** Exports per caller per window (users and audit exports together). */
  EXPORT_RATE_LIMIT: positiveInt(10),
  EXPORT_RATE_WINDOW_SECONDS: positiveInt(60),
  /** Cache of profile documents in Redis, invalidated on every write; 0 turns it off. */
  PROFILE_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(30),
  /**
   * In-process copy of Redis cache hits, dropped when Redis reports the key changed; entries live
   * at most this long (and never past the Redis TTL); 0 turns it off.
   */
  PROFILE_LOCAL_CACHE_TTL_MS: z.coerce.number().int().min(0).default(5_000),
  PROFILE_LOCAL_CACHE_MAX: positiveInt(10_000),
});

export type ProfileConfig = z.infer<typeof profileConfigSchema>;
export type MongoConfig = z.infer<typeof mongoConfigSchema>;

/** Refuses S3 storage without a bucket: better a clear start-up error than failing uploads. */
const checkedSchema = profileConfigSchema.superRefine((config, ctx) => {
  if (config.AVATAR_STORAGE === 's3' && !config.S3_BUCKET) {
    ctx.addIssue({
      code: 'custom',
      path: ['S3_BUCKET'],
      message: 'is required when AVATAR_STORAGE=s3',
    });
  }
});

export function loadProfileConfig(env: Env = process.env): ProfileConfig {
  return loadConfig(checkedSchema, env);
}

/** The database name: MONGODB_DB, else the URI's path, else `ums`. */
export function databaseName(config: Pick<MongoConfig, 'MONGODB_URI' | 'MONGODB_DB'>): string {
  if (config.MONGODB_DB) return config.MONGODB_DB;
  const path = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(config.MONGODB_URI)?.[1];
  return path ? decodeURIComponent(path) : 'ums';
}

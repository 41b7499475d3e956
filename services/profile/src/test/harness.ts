// Test harness: every test file gets its own MongoDB database (migrated) on the real local
// FerretDB, its own Redis stream and key prefix on the real Redis, a real HTTP JWKS server with
// keys made here, and a container and app wired exactly as in production.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { captureLogger, type CapturedLogger } from '@ums/service-kit/test/test-support';
import { createProfileApp } from '../app.ts';
import { profileConfigSchema, type ProfileConfig } from '../config.ts';
import { createContainer, type Container } from '../container.ts';
import type { ObjectStorage } from '../data/storage/object-storage.ts';
import { migrateUp } from '../data/migrate.ts';
import { startJwksServer, type JwksServer, type TokenOptions } from './jwks-server.ts';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: start the local servers with \`npm run infra:up\` (or run \`npm test\`)`,
    );
  }
  return value;
}

export const uniqueSuffix = () => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** A fresh database on the shared server, migrated; `drop()` removes it. */
export async function createTestDatabase(
  uri = requireEnv('MONGODB_URI'),
): Promise<{ uri: string; name: string; drop: () => Promise<void> }> {
  const name = `profile_test_${uniqueSuffix()}`;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await migrateUp(client.db(name));
  } finally {
    await client.close();
  }
  return {
    uri,
    name,
    async drop() {
      const c = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
      await c
        .db(name)
        .dropDatabase()
        .finally(() => c.close());
    },
  };
}

export interface UserSnapshot {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  role: string;
  status: 'active' | 'inactive' | 'suspended';
  emailVerified: boolean;
  mfaEnabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface PublishInput {
  type: string;
  aggregateId?: string;
  eventId?: string;
  occurredAt?: string;
  actorId?: string | null;
  ip?: string | null;
  requestId?: string | null;
  data?: Record<string, unknown>;
}

export interface TestUser {
  id: string;
  snapshot: UserSnapshot;
  token: string;
  auth: { Authorization: string };
}

export interface TestProfile {
  app: Express;
  container: Container;
  config: ProfileConfig;
  logs: CapturedLogger;
  jwks: JwksServer;
  /** Direct Redis access for publishing and inspecting the stream. */
  redis: Redis;
  token(options: TokenOptions): Promise<string>;
  publish(event: PublishInput): Promise<string>;
  /** Runs the consumer until the stream has nothing new for it. */
  drain(): Promise<number>;
  /** Publishes `user.registered` for a new user, applies it and returns a token for them. */
  registerUser(overrides?: Partial<UserSnapshot>, permissions?: string[]): Promise<TestUser>;
  close(): Promise<void>;
}

export function snapshotOf(overrides: Partial<UserSnapshot> = {}): UserSnapshot {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    email: `user-${id.slice(0, 8)}@example.com`,
    firstName: 'Test',
    lastName: 'User',
    role: 'user',
    status: 'active',
    emailVerified: true,
    mfaEnabled: false,
    createdAt: new Date().toISOString(),
    lastLoginAt: null,
    ...overrides,
  };
}

/** Stream fields exactly as the auth service's outbox relay writes them. */
export function streamFields(event: PublishInput): string[] {
  return [
    'eventId',
    event.eventId ?? randomUUID(),
    'type',
    event.type,
    'aggregateId',
    event.aggregateId ?? '',
    'occurredAt',
    event.occurredAt ?? new Date().toISOString(),
    'payload',
    JSON.stringify({
      actorId: event.actorId ?? 'system',
      requestId: event.requestId ?? null,
      ip: event.ip ?? '203.0.113.7',
      data: event.data ?? {},
    }),
  ];
}

/**
 * A container and app on a fresh database. `env` overrides configuration (strings, like the
 * environment). The event consumer is not started: tests call `drain()` so they are deterministic.
 */
export async function createTestProfile(
  env: Record<string, string> = {},
  options: { storage?: ObjectStorage; database?: { uri: string; name: string } } = {},
): Promise<TestProfile> {
  const database = options.database ? undefined : await createTestDatabase();
  const jwks = await startJwksServer();
  const suffix = uniqueSuffix();
  const avatarDir = mkdtempSync(join(tmpdir(), 'profile-avatars-'));
  const config = profileConfigSchema.parse({
    NODE_ENV: 'test',
    MONGODB_URI: options.database?.uri ?? database?.uri,
    MONGODB_DB: options.database?.name ?? database?.name,
    MONGODB_SERVER_SELECTION_TIMEOUT_MS: '3000',
    REDIS_URL: requireEnv('REDIS_URL'),
    REDIS_KEY_PREFIX: `test:${suffix}:`,
    EVENTS_STREAM: `test:${suffix}:events`,
    EVENTS_CONSUMER: `test-${suffix}`,
    EVENTS_ENABLED: 'false',
    EVENTS_BLOCK_MS: '20',
    AUTH_JWKS_URL: jwks.url,
    AVATAR_LOCAL_DIR: avatarDir,
    PORT: '0',
    ...env,
  });
  const logs = captureLogger('debug');
  const container = createContainer(config, logs.logger, { storage: options.storage });
  await container.start();
  const app = createProfileApp(container);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();

  const t: TestProfile = {
    app,
    container,
    config,
    logs,
    jwks,
    redis,
    token: (o) => jwks.sign(o),
    async publish(event) {
      const fields = streamFields(event);
      await redis.xadd(config.EVENTS_STREAM, '*', ...fields);
      return fields[1] as string;
    },
    async drain() {
      let total = 0;
      for (let i = 0; i < 1000; i += 1) {
        const n = await container.consumer.poll();
        total += n;
        if (n === 0) return total;
      }
      throw new Error('drain() did not settle');
    },
    async registerUser(overrides = {}, permissions = []) {
      const snapshot = snapshotOf(overrides);
      await t.publish({
        type: 'user.registered',
        aggregateId: snapshot.id,
        actorId: snapshot.id,
        data: { user: snapshot },
      });
      await t.drain();
      const token = await jwks.sign({ sub: snapshot.id, role: snapshot.role, permissions });
      return { id: snapshot.id, snapshot, token, auth: { Authorization: `Bearer ${token}` } };
    },
    async close() {
      await container.consumer.stop();
      await container.stop();
      const keys = await redis.keys(`test:${suffix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await jwks.close();
      await database?.drop();
      rmSync(avatarDir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Retries `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

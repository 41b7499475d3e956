// Test harness: every test file gets its own PostgreSQL database (migrated) and its own Redis
// key prefix on the real local servers, plus a container and app wired exactly as in production.
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import pg from 'pg';
import { captureLogger, type CapturedLogger } from '@ums/service-kit/test/test-support';
import { createAuthApp } from '../app.ts';
import { authConfigSchema, type AuthConfig } from '../config.ts';
import { createContainer, type Container } from '../container.ts';
import { migrateUp } from '../data/migrate.ts';
import { ensureSystemRoles } from '../data/seed.ts';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: start the local servers with \`npm run infra:up\` (or run \`npm test\`)`,
    );
  return value;
}

export const uniqueSuffix = () => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** Creates a fresh, migrated database; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(requireEnv('DATABASE_URL'));
  const name = `auth_test_${uniqueSuffix()}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  await migrateUp(url.toString());
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  await ensureSystemRoles(db);
  await db.end();
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestAuth {
  app: Express;
  container: Container;
  config: AuthConfig;
  logs: CapturedLogger;
  close(): Promise<void>;
}

/** A container and app on a fresh database; `env` overrides configuration (as strings, like the environment). */
export async function createTestAuth(env: Record<string, string> = {}): Promise<TestAuth> {
  const database = await createTestDatabase();
  const config = authConfigSchema.parse({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: requireEnv('REDIS_URL'),
    REDIS_KEY_PREFIX: `test:${uniqueSuffix()}:`,
    EVENTS_STREAM: `test:${uniqueSuffix()}:events`,
    TOKEN_KEK: randomBytes(32).toString('base64'),
    PORT: '0',
    MAIL_OUTBOX_DIR: `.local/test-mail/${uniqueSuffix()}`,
    ...env,
  });
  const logs = captureLogger('debug');
  const container = createContainer(config, logs.logger);
  // As in main.ts: the app is built first (its routes have no side effects), then start().
  const app = createAuthApp(container);
  await container.start();
  return {
    app,
    container,
    config,
    logs,
    async close() {
      await container.stop();
      await database.drop();
    },
  };
}

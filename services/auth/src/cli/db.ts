// Database commands behind the root `npm run db:*` scripts (auth's part: PostgreSQL).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '@ums/service-kit/config';
import { createLogger } from '@ums/service-kit/logger';
import { createDb } from '../data/db.ts';
import { migrateDown, migrateUp, migrationStatus } from '../data/migrate.ts';
import {
  dumpSchema,
  schemaSnapshotPath,
  readSchemaSnapshot,
  writeSchemaSnapshot,
} from '../data/schema-snapshot.ts';
import { ensureSystemRoles, rollbackDemoUsers, seedDemoUsers } from '../data/seed.ts';

const config = loadConfig(
  z.object({
    DATABASE_URL: z.string().url(),
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  }),
);
const say = (message: string) => process.stdout.write(`auth: ${message}\n`);

async function run(command: string | undefined): Promise<void> {
  switch (command) {
    case 'migrate': {
      const applied = await migrateUp(config.DATABASE_URL);
      const db = createDb({
        connectionString: config.DATABASE_URL,
        max: 1,
        logger: createLogger({ name: 'auth-cli', level: 'warn' }),
      });
      await ensureSystemRoles(db).finally(() => db.end());
      say(applied.length ? `applied ${applied.join(', ')}` : 'schema up to date');
      return;
    }
    case 'rollback': {
      const reverted = await migrateDown(config.DATABASE_URL);
      say(reverted.length ? `rolled back ${reverted.join(', ')}` : 'nothing to roll back');
      return;
    }
    case 'status': {
      const db = createDb({
        connectionString: config.DATABASE_URL,
        max: 1,
        logger: createLogger({ name: 'auth-cli', level: 'warn' }),
      });
      const { rows } = await db
        .query<{ server_version: string }>('SHOW server_version')
        .finally(() => db.end());
      say(`PostgreSQL ${rows[0]?.server_version} reachable`);
      for (const m of await migrationStatus(config.DATABASE_URL))
        say(`${m.applied ? 'applied' : 'pending'} ${m.name}`);
      return;
    }
    case 'validate': {
      const pending = (await migrationStatus(config.DATABASE_URL)).filter((m) => !m.applied);
      if (pending.length)
        throw new Error(`pending migrations: ${pending.map((m) => m.name).join(', ')}`);
      const actual = dumpSchema(config.DATABASE_URL);
      if (process.argv.includes('--write')) {
        writeSchemaSnapshot(actual);
        say(`wrote ${schemaSnapshotPath}`);
        return;
      }
      if (actual !== readSchemaSnapshot())
        throw new Error(
          `schema differs from ${schemaSnapshotPath} (run with --write after reviewing)`,
        );
      say('schema matches the migrations snapshot');
      return;
    }
    case 'reset': {
      if (!process.argv.includes('--force'))
        throw new Error('db:reset destroys every table: run it again with --force');
      if (config.NODE_ENV === 'production')
        throw new Error('db:reset is refused when NODE_ENV=production');
      const reverted = await migrateDown(config.DATABASE_URL, () => undefined, Infinity);
      say(`rolled back ${reverted.length} migrations`);
      return;
    }
    case 'backup':
    case 'restore': {
      const dir = process.env.UMS_BACKUP_DIR;
      if (!dir)
        throw new Error('UMS_BACKUP_DIR is not set (use the root npm run db:backup / db:restore)');
      const file = join(dir, 'auth-postgres.dump');
      if (command === 'backup') mkdirSync(dir, { recursive: true });
      else if (!existsSync(file)) throw new Error(`no auth backup at ${file}`);
      const args =
        command === 'backup'
          ? ['pg_dump', ['--format=custom', `--file=${file}`, config.DATABASE_URL]]
          : [
              'pg_restore',
              ['--clean', '--if-exists', '--no-owner', `--dbname=${config.DATABASE_URL}`, file],
            ];
      const result = spawnSync(args[0] as string, args[1] as string[], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if (result.status !== 0)
        throw new Error(`${args[0] as string} failed (exit ${result.status})`);
      say(`${command === 'backup' ? 'backed up to' : 'restored from'} ${file}`);
      return;
    }
    case 'seed':
    case 'seed:rollback': {
      const db = createDb({
        connectionString: config.DATABASE_URL,
        max: 2,
        logger: createLogger({ name: 'auth-cli', level: 'warn' }),
      });
      try {
        if (command === 'seed') {
          const created = await seedDemoUsers(db, config.NODE_ENV);
          say(
            created.length ? `seeded ${created.length} demo users` : 'demo users already present',
          );
        } else {
          const removed = await rollbackDemoUsers(db);
          say(`removed ${removed.length} demo users`);
        }
      } finally {
        await db.end();
      }
      return;
    }
    default:
      throw new Error(
        `unknown command ${command ?? '(none)'}: migrate, rollback, status, validate, reset, seed, seed:rollback, backup, restore`,
      );
  }
}

try {
  await run(process.argv[2]);
} catch (error) {
  process.stderr.write(`auth: ${(error as Error).message}\n`);
  process.exitCode = 1;
}

// Database commands behind the root `npm run db:*` scripts (the profile service's part: MongoDB).
import { join } from 'node:path';
import { loadConfig } from '@ums/service-kit/config';
import { mongoConfigSchema } from '../config.ts';
import { backupDatabase, BACKUP_SUBDIR, restoreDatabase } from '../data/backup.ts';
import { migrateDown, migrateUp, migrationStatus } from '../data/migrate.ts';
import { createMongo } from '../data/mongo.ts';
import {
  describeSchema,
  diffSchemas,
  readSchemaSnapshot,
  schemaSnapshotPath,
  writeSchemaSnapshot,
} from '../data/schema-snapshot.ts';
import { rollbackDemoProfiles, seedDemoProfiles } from '../data/seed.ts';

const COMMANDS =
  'migrate, rollback, migrate:status, status, validate, seed, seed:rollback, reset --force, backup, restore';
const config = loadConfig(mongoConfigSchema);
const say = (message: string) => process.stdout.write(`profile: ${message}\n`);

function backupDir(): string {
  const dir = process.env.UMS_BACKUP_DIR;
  if (!dir)
    throw new Error('UMS_BACKUP_DIR is not set (use the root npm run db:backup / db:restore)');
  return dir;
}

async function printMigrations(db: Parameters<typeof migrationStatus>[0]): Promise<void> {
  for (const m of await migrationStatus(db)) {
    say(`${m.applied ? 'applied' : 'pending'} ${m.name}`);
    for (const note of m.notes) say(`    fallback: ${note}`);
  }
}

async function run(command: string | undefined): Promise<void> {
  // Commands fail fast when MongoDB is down instead of waiting out the service's longer timeout.
  const mongo = createMongo({
    ...config,
    MONGODB_SERVER_SELECTION_TIMEOUT_MS: 10_000,
    MONGODB_POOL_MAX: 2,
  });
  const { db } = mongo;
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrateUp(db, { log: say });
        if (!applied.length) say('schema up to date');
        return;
      }
      case 'rollback': {
        const reverted = await migrateDown(db, { log: say });
        if (!reverted.length) say('nothing to roll back');
        return;
      }
      case 'migrate:status':
        await printMigrations(db);
        return;
      case 'status': {
        const info = await db.admin().command({ buildInfo: 1 });
        const engine = 'ferretdbVersion' in info ? 'FerretDB (MongoDB wire protocol)' : 'MongoDB';
        say(`${engine} ${String(info.version)} reachable, database ${db.databaseName}`);
        await printMigrations(db);
        const present = new Set(
          (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
        );
        for (const name of ['user_profiles', 'audit_logs', 'erased_users']) {
          const count = present.has(name)
            ? await db.collection(name).estimatedDocumentCount()
            : undefined;
          say(`${name}: ${count === undefined ? 'missing' : `${count} documents`}`);
        }
        return;
      }
      case 'validate': {
        const pending = (await migrationStatus(db)).filter((m) => !m.applied);
        if (pending.length)
          throw new Error(`pending migrations: ${pending.map((m) => m.name).join(', ')}`);
        const actual = await describeSchema(db);
        if (process.argv.includes('--write')) {
          writeSchemaSnapshot(actual);
          say(`wrote ${schemaSnapshotPath}`);
          return;
        }
        const problems = diffSchemas(readSchemaSnapshot(), actual);
        if (problems.length) {
          throw new Error(`schema differs from ${schemaSnapshotPath}:\n  ${problems.join('\n  ')}`);
        }
        say('collections and indexes match the migrations snapshot');
        return;
      }
      case 'seed': {
        const { enriched, missing } = await seedDemoProfiles(db, config.NODE_ENV);
        say(`demo profile details added to ${enriched.length} profiles`);
        if (missing.length) {
          say(
            `no profile yet for ${missing.length} demo users (created from auth's events once the service runs; seed again then)`,
          );
        }
        return;
      }
      case 'seed:rollback': {
        const reverted = await rollbackDemoProfiles(db);
        say(`removed demo details from ${reverted.length} profiles`);
        return;
      }
      case 'reset': {
        if (!process.argv.includes('--force')) {
          throw new Error('db:reset drops every profile collection: run it again with --force');
        }
        if (config.NODE_ENV === 'production')
          throw new Error('db:reset is refused when NODE_ENV=production');
        const reverted = await migrateDown(db, { count: Infinity, log: say });
        say(`rolled back ${reverted.length} migrations`);
        return;
      }
      case 'backup': {
        const manifest = await backupDatabase(db, backupDir());
        const docs = manifest.collections.reduce((n, c) => n + c.documents, 0);
        say(
          `backed up ${manifest.collections.length} collections (${docs} documents) to ${join(backupDir(), BACKUP_SUBDIR)}`,
        );
        return;
      }
      case 'restore': {
        const manifest = await restoreDatabase(db, backupDir());
        say(
          `restored ${manifest.collections.length} collections from ${join(backupDir(), BACKUP_SUBDIR)}`,
        );
        return;
      }
      default:
        throw new Error(`unknown command ${command ?? '(none)'}: ${COMMANDS}`);
    }
  } finally {
    await mongo.close();
  }
}

try {
  await run(process.argv[2]);
} catch (error) {
  process.stderr.write(`profile: ${(error as Error).message}\n`);
  process.exitCode = 1;
}

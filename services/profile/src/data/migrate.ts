import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Db } from 'mongodb';
import { isDuplicateKey } from './mongo.ts';

/**
 * Versioned MongoDB schema changes (collections, indexes, validators), run like SQL migrations:
 * immutable `<yyyymmddhhmmss>-<name>.ts` files with `up` and `down`, applied in name order and
 * recorded in `schema_migrations`. Where the server lacks a feature (FerretDB has no TTL indexes
 * or validators), a migration takes the portable fallback and records a note saying so.
 */
export const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
export const MIGRATIONS_COLLECTION = 'schema_migrations';
const LOCK_ID = '~lock';
const STALE_LOCK_MS = 10 * 60_000;
const FILE_PATTERN = /^\d{14}-[a-z0-9-]+\.ts$/;

export interface MigrationContext {
  db: Db;
  /** Records a fallback taken because the server lacks a feature; shown by `db:status`. */
  note(message: string): void;
}

export interface Migration {
  name: string;
  up(ctx: MigrationContext): Promise<void>;
  down(ctx: MigrationContext): Promise<void>;
}

interface MigrationRecord {
  _id: string;
  appliedAt: Date;
  notes: string[];
}

export interface MigrationStatus {
  name: string;
  applied: boolean;
  appliedAt?: Date;
  notes: string[];
}

type Log = (message: string) => void;

export async function loadMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = readdirSync(dir)
    .filter((f) => FILE_PATTERN.test(f))
    .sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(`${dir}${file}`).href)) as Partial<Migration>;
    if (typeof mod.up !== 'function' || typeof mod.down !== 'function') {
      throw new Error(`migration ${file} must export up() and down()`);
    }
    migrations.push({ name: file.replace(/\.ts$/, ''), up: mod.up, down: mod.down });
  }
  return migrations;
}

function records(db: Db) {
  return db.collection<MigrationRecord>(MIGRATIONS_COLLECTION);
}

async function applied(db: Db): Promise<MigrationRecord[]> {
  return records(db)
    .find({ _id: { $ne: LOCK_ID } })
    .sort({ _id: 1 })
    .toArray();
}

/** One migration run at a time per database (a Job and a developer's shell, say). */
async function withLock<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const lock = { _id: LOCK_ID, appliedAt: new Date(), notes: [] };
  try {
    await records(db).insertOne(lock);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const stale = await records(db).findOneAndReplace(
      { _id: LOCK_ID, appliedAt: { $lt: new Date(Date.now() - STALE_LOCK_MS) } },
      lock,
    );
    if (!stale) {
      throw new Error('another migration run holds the lock; try again shortly', { cause: error });
    }
  }
  try {
    return await work();
  } finally {
    await records(db).deleteOne({ _id: LOCK_ID });
  }
}

function checkOrder(done: MigrationRecord[], known: Migration[]): void {
  done.forEach((record, i) => {
    if (known[i]?.name !== record._id) {
      throw new Error(
        `applied migration ${record._id} does not match ${known[i]?.name ?? 'any file'}: migrations are immutable and applied in order`,
      );
    }
  });
}

/** Applies pending migrations (or the next `count`); returns the names applied. */
export async function migrateUp(
  db: Db,
  options: { count?: number; log?: Log; migrations?: Migration[] } = {},
): Promise<string[]> {
  const known = options.migrations ?? (await loadMigrations());
  return withLock(db, async () => {
    const done = await applied(db);
    checkOrder(done, known);
    const pending = known.slice(done.length, done.length + (options.count ?? Infinity));
    for (const migration of pending) {
      const notes: string[] = [];
      await migration.up({ db, note: (message) => notes.push(message) });
      await records(db).insertOne({ _id: migration.name, appliedAt: new Date(), notes });
      options.log?.(`applied ${migration.name}${notes.length ? ` (${notes.join('; ')})` : ''}`);
    }
    return pending.map((m) => m.name);
  });
}

/** Rolls back the last `count` migrations (default one); returns the names rolled back. */
export async function migrateDown(
  db: Db,
  options: { count?: number; log?: Log; migrations?: Migration[] } = {},
): Promise<string[]> {
  const known = options.migrations ?? (await loadMigrations());
  return withLock(db, async () => {
    const done = await applied(db);
    checkOrder(done, known);
    const count = Math.min(options.count ?? 1, done.length);
    const toRevert = known.slice(done.length - count, done.length).reverse();
    for (const migration of toRevert) {
      await migration.down({ db, note: () => undefined });
      await records(db).deleteOne({ _id: migration.name });
      options.log?.(`rolled back ${migration.name}`);
    }
    return toRevert.map((m) => m.name);
  });
}

export async function migrationStatus(
  db: Db,
  migrations?: Migration[],
): Promise<MigrationStatus[]> {
  const known = migrations ?? (await loadMigrations());
  const done = new Map((await applied(db)).map((r) => [r._id, r]));
  const unknown = [...done.keys()].filter((name) => !known.some((m) => m.name === name));
  if (unknown.length) throw new Error(`applied migrations without a file: ${unknown.join(', ')}`);
  return known.map((m) => {
    const record = done.get(m.name);
    return record
      ? { name: m.name, applied: true, appliedAt: record.appliedAt, notes: record.notes }
      : { name: m.name, applied: false, notes: [] };
  });
}

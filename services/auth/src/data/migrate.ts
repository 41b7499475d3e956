import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';

export const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
const migrationsTable = 'pgmigrations';

type Log = (message: string) => void;

/** Applies pending migrations (or `count` of them); returns the names applied. */
export async function migrateUp(
  databaseUrl: string,
  log: Log = () => undefined,
  count?: number,
): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: migrationsDir,
    migrationsTable,
    direction: 'up',
    count: count ?? Infinity,
    checkOrder: true,
    singleTransaction: true,
    log,
    ignorePattern: '.*\\.test\\.ts$',
  });
  return applied.map((m: { name: string }) => m.name);
}

/** Rolls back the last `count` migrations (default one); returns the names rolled back. */
export async function migrateDown(
  databaseUrl: string,
  log: Log = () => undefined,
  count = 1,
): Promise<string[]> {
  const reverted = await runner({
    databaseUrl,
    dir: migrationsDir,
    migrationsTable,
    direction: 'down',
    count,
    checkOrder: true,
    singleTransaction: true,
    log,
    ignorePattern: '.*\\.test\\.ts$',
  });
  return reverted.map((m: { name: string }) => m.name);
}

/** Which migrations exist and which are applied. */
export async function migrationStatus(
  databaseUrl: string,
): Promise<{ name: string; applied: boolean }[]> {
  const pending = await runner({
    databaseUrl,
    dir: migrationsDir,
    migrationsTable,
    direction: 'up',
    count: Infinity,
    dryRun: true,
    log: () => undefined,
    ignorePattern: '.*\\.test\\.ts$',
  });
  const pendingNames = new Set(pending.map((m: { name: string }) => m.name));
  const { readdirSync } = await import('node:fs');
  return readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort()
    .map((name) => ({ name, applied: !pendingNames.has(name) }));
}

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The schema the migrations produce, committed so reviews see it and CI can compare. */
export const schemaSnapshotPath = fileURLToPath(new URL('./schema.sql', import.meta.url));

/**
 * `pg_dump --schema-only` of a database, without the parts that vary between servers and runs
 * (comments, SET lines, the migrations bookkeeping table, the dump's version banner).
 */
export function dumpSchema(databaseUrl: string): string {
  const result = spawnSync(
    'pg_dump',
    [
      '--schema-only',
      '--no-owner',
      '--no-privileges',
      '--exclude-table=pgmigrations',
      '--exclude-table=pgmigrations_id_seq',
      databaseUrl,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`pg_dump failed: ${result.stderr}`);
  return (
    result.stdout
      .split('\n')
      .filter(
        (line) =>
          !line.startsWith('--') &&
          !line.startsWith('SET ') &&
          !line.startsWith('SELECT pg_catalog.set_config') &&
          !line.startsWith('\\'),
      )
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}

export function readSchemaSnapshot(): string {
  return readFileSync(schemaSnapshotPath, 'utf8');
}

export function writeSchemaSnapshot(schema: string): void {
  writeFileSync(schemaSnapshotPath, schema);
}

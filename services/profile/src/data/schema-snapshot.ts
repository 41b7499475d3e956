import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from 'mongodb';

/**
 * The database's shape (collections and their indexes) in a stable, server-independent form, and
 * the committed snapshot `db:validate` compares it with: a fresh database migrated from scratch
 * must equal the snapshot, so a hand-made index or a skipped migration shows up. TTL options and
 * validators are left out because they depend on the server (FerretDB lacks both); whether they
 * were applied or replaced by a fallback is recorded per migration and shown by `db:status`.
 */
export const schemaSnapshotPath = fileURLToPath(new URL('./schema-snapshot.json', import.meta.url));

export type SchemaShape = Record<
  string,
  { name: string; key: Record<string, unknown>; unique?: true }[]
>;

export async function describeSchema(db: Db): Promise<SchemaShape> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.'))
    .sort();
  const shape: SchemaShape = {};
  for (const name of names) {
    const indexes = await db.collection(name).indexes();
    shape[name] = indexes
      .map((i) => ({
        name: String(i.name),
        key: i.key as Record<string, unknown>,
        ...(i.unique ? { unique: true as const } : {}),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  return shape;
}

export function readSchemaSnapshot(): SchemaShape {
  return JSON.parse(readFileSync(schemaSnapshotPath, 'utf8')) as SchemaShape;
}

export function writeSchemaSnapshot(shape: SchemaShape): void {
  writeFileSync(schemaSnapshotPath, `${JSON.stringify(shape, null, 2)}\n`);
}

/** Differences between two shapes, one line each; empty when equal. */
export function diffSchemas(expected: SchemaShape, actual: SchemaShape): string[] {
  const problems: string[] = [];
  for (const name of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const want = expected[name];
    const have = actual[name];
    if (!want) problems.push(`unexpected collection ${name}`);
    else if (!have) problems.push(`missing collection ${name}`);
    else {
      const key = (i: SchemaShape[string][number]) => JSON.stringify(i);
      const haveKeys = new Set(have.map(key));
      const wantKeys = new Set(want.map(key));
      for (const i of want)
        if (!haveKeys.has(key(i))) problems.push(`${name}: missing index ${key(i)}`);
      for (const i of have)
        if (!wantKeys.has(key(i))) problems.push(`${name}: unexpected index ${key(i)}`);
    }
  }
  return problems;
}

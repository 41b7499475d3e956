import type { CreateIndexesOptions, Document, IndexSpecification } from 'mongodb';
import type { MigrationContext } from './migrate.ts';
import { isNotImplemented } from './mongo.ts';

/**
 * Building blocks for migrations. Each tries the MongoDB feature first (MongoDB 7 and DocumentDB
 * have it) and, where the server answers "not implemented" (FerretDB 1.x), takes the documented
 * portable fallback and records a note instead of failing.
 */

/** Creates a collection with a `$jsonSchema` validator, or without one where unsupported. */
export async function createValidatedCollection(
  ctx: MigrationContext,
  name: string,
  schema: Document,
): Promise<void> {
  try {
    await ctx.db.createCollection(name, {
      validator: { $jsonSchema: schema },
      validationLevel: 'strict',
      validationAction: 'error',
    });
  } catch (error) {
    if (!isNotImplemented(error)) throw error;
    await ctx.db.createCollection(name);
    ctx.note(`${name}: no $jsonSchema validators on this server; documents are validated in code`);
  }
}

/**
 * A TTL index (`expireAfterSeconds`), or a plain index on the same field where TTL indexes are
 * unsupported; the service's retention purge deletes expired documents in both cases.
 */
export async function createTtlIndex(
  ctx: MigrationContext,
  collection: string,
  field: string,
  expireAfterSeconds: number,
): Promise<void> {
  const name = `${field}_ttl`;
  try {
    await ctx.db.collection(collection).createIndex({ [field]: 1 }, { name, expireAfterSeconds });
  } catch (error) {
    if (!isNotImplemented(error)) throw error;
    await ctx.db.collection(collection).createIndex({ [field]: 1 }, { name });
    ctx.note(
      `${collection}.${field}: no TTL indexes on this server; the retention purge job deletes`,
    );
  }
}

export async function createIndexes(
  ctx: MigrationContext,
  collection: string,
  indexes: readonly { key: IndexSpecification; options: CreateIndexesOptions & { name: string } }[],
): Promise<void> {
  for (const { key, options } of indexes) {
    await ctx.db.collection(collection).createIndex(key, options);
  }
}

export async function dropIndexes(
  ctx: MigrationContext,
  collection: string,
  names: readonly string[],
): Promise<void> {
  for (const name of names) {
    await ctx.db
      .collection(collection)
      .dropIndex(name)
      .catch((error: unknown) => {
        // 27 IndexNotFound, 26 NamespaceNotFound: already gone is what down() wants.
        if (![26, 27].includes(Number((error as { code?: unknown }).code))) throw error;
      });
  }
}

export async function dropCollection(ctx: MigrationContext, name: string): Promise<void> {
  await ctx.db
    .collection(name)
    .drop()
    .catch((error: unknown) => {
      if (Number((error as { code?: unknown }).code) !== 26) throw error;
    });
}

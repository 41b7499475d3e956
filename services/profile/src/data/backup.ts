import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BSON, type Db, type Document, type IndexDescription } from 'mongodb';
import { isNotImplemented } from './mongo.ts';

/**
 * Backup and restore through the driver (no mongodump here): one canonical Extended JSON file per
 * collection (a document per line, so both directions stream), its indexes, and a manifest.
 * Canonical EJSON keeps types exact (dates, ObjectIds, numbers).
 */
export const BACKUP_SUBDIR = 'profile-mongodb';
const BATCH = 1000;

interface Manifest {
  service: 'profile';
  database: string;
  createdAt: string;
  collections: {
    name: string;
    documents: number;
    /** createCollection options (validators where the server has them). */
    options: Document;
    indexes: IndexDescription[];
  }[];
}

const dataFile = (dir: string, name: string) => join(dir, `${name}.ejson`);

export async function backupDatabase(db: Db, rootDir: string): Promise<Manifest> {
  const dir = join(rootDir, BACKUP_SUBDIR);
  mkdirSync(dir, { recursive: true });
  const infos = (await db.listCollections().toArray())
    .filter((c) => !c.name.startsWith('system.'))
    .sort((a, b) => a.name.localeCompare(b.name));
  const manifest: Manifest = {
    service: 'profile',
    database: db.databaseName,
    createdAt: new Date().toISOString(),
    collections: [],
  };
  for (const info of infos) {
    const name = info.name;
    const out = createWriteStream(dataFile(dir, name));
    let documents = 0;
    for await (const doc of db.collection(name).find({}).batchSize(BATCH)) {
      if (!out.write(`${BSON.EJSON.stringify(doc, { relaxed: false })}\n`))
        await once(out, 'drain');
      documents += 1;
    }
    out.end();
    await once(out, 'finish');
    const indexes = (await db.collection(name).indexes())
      .filter((i) => i.name !== '_id_')
      .map(({ v: _v, ns: _ns, ...rest }) => rest as IndexDescription);
    const options = 'options' in info ? (info.options as Document) : {};
    manifest.collections.push({ name, documents, options, indexes });
  }
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function restoreIndexes(db: Db, name: string, indexes: IndexDescription[]): Promise<void> {
  for (const { key, ...options } of indexes) {
    try {
      await db.collection(name).createIndex(key, options);
    } catch (error) {
      if (!isNotImplemented(error) || options.expireAfterSeconds === undefined) throw error;
      // Same fallback as the migrations: a plain index where TTL is missing.
      const { expireAfterSeconds: _ttl, ...plain } = options;
      await db.collection(name).createIndex(key, plain);
    }
  }
}

/** Replaces every backed-up collection with the backup's content. */
export async function restoreDatabase(db: Db, rootDir: string): Promise<Manifest> {
  const dir = join(rootDir, BACKUP_SUBDIR);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`no profile backup at ${dir}`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  for (const { name, options, indexes } of manifest.collections) {
    await db
      .collection(name)
      .drop()
      .catch((error: unknown) => {
        if (Number((error as { code?: unknown }).code) !== 26) throw error;
      });
    await db.createCollection(name, options).catch(async (error: unknown) => {
      if (!isNotImplemented(error)) throw error;
      await db.createCollection(name);
    });
    await restoreIndexes(db, name, indexes);
    let batch: Document[] = [];
    const lines = createInterface({
      input: createReadStream(dataFile(dir, name)),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (!line) continue;
      batch.push(BSON.EJSON.parse(line, { relaxed: false }) as Document);
      if (batch.length >= BATCH) {
        await db.collection(name).insertMany(batch, { ordered: true });
        batch = [];
      }
    }
    if (batch.length) await db.collection(name).insertMany(batch, { ordered: true });
  }
  return manifest;
}

import { MongoClient, type Db } from 'mongodb';
import { createTestDatabase, requireEnv, uniqueSuffix } from '../test/harness.ts';
import { migrateDown, migrateUp, migrationStatus, MIGRATIONS_COLLECTION } from './migrate.ts';
import { describeSchema, diffSchemas, readSchemaSnapshot } from './schema-snapshot.ts';

describe('MongoDB migrations (collections, indexes, validators)', () => {
  const client = new MongoClient(requireEnv('MONGODB_URI'), { serverSelectionTimeoutMS: 10_000 });
  let db: Db;
  beforeAll(() => {
    db = client.db(`profile_test_${uniqueSuffix()}`);
  });
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('when a fresh database is migrated, then it equals the committed schema snapshot', async () => {
    expect(await migrateUp(db)).toEqual([
      '20251126000000-create-collections',
      '20251126000100-directory-indexes',
    ]);
    expect(diffSchemas(readSchemaSnapshot(), await describeSchema(db))).toEqual([]);
    expect(await migrateUp(db)).toEqual([]);
  });

  it('when the server lacks TTL indexes or validators, then the fallback is recorded; where it has them they are in place', async () => {
    const [first] = await migrationStatus(db);
    const ttl = (await db.collection('audit_logs').indexes()).find(
      (i) => i.name === 'expiresAt_ttl',
    );
    const hasTtl = ttl?.expireAfterSeconds === 0;
    expect(hasTtl || first?.notes.some((n) => n.includes('no TTL indexes'))).toBe(true);
    const info = await db.listCollections({ name: 'user_profiles' }).toArray();
    const hasValidator = Boolean(
      (info[0] as { options?: { validator?: unknown } }).options?.validator,
    );
    expect(
      hasValidator || first?.notes.some((n) => n.includes('user_profiles: no $jsonSchema')),
    ).toBe(true);
  });

  it('when unique keys are violated, then the indexes refuse them', async () => {
    await db.collection('audit_logs').insertOne({ _id: 'e-1' as never, eventId: 'dup' });
    await expect(
      db.collection('audit_logs').insertOne({ _id: 'e-2' as never, eventId: 'dup' }),
    ).rejects.toMatchObject({ code: 11000 });
    await db.collection('user_profiles').insertOne({ _id: 'u-1' as never, userId: 'same' });
    await expect(
      db.collection('user_profiles').insertOne({ _id: 'u-2' as never, userId: 'same' }),
    ).rejects.toMatchObject({ code: 11000 });
    await db.collection('audit_logs').deleteMany({});
    await db.collection('user_profiles').deleteMany({});
  });

  it('when rolled back one step and all the way, then down() undoes up(), and migrating again gives the same schema', async () => {
    expect(await migrateDown(db)).toEqual(['20251126000100-directory-indexes']);
    const names = (await db.collection('user_profiles').indexes()).map((i) => i.name);
    expect(names).not.toContain('sortName_id');
    expect((await migrationStatus(db)).map((m) => m.applied)).toEqual([true, false]);
    expect(await migrateDown(db, { count: Infinity })).toEqual([
      '20251126000000-create-collections',
    ]);
    const left = (await db.listCollections().toArray()).map((c) => c.name);
    expect(left).toEqual([MIGRATIONS_COLLECTION]);
    await migrateUp(db);
    expect(diffSchemas(readSchemaSnapshot(), await describeSchema(db))).toEqual([]);
  });

  it('when another run holds the lock, or an applied migration has no file, then migrating refuses', async () => {
    await db
      .collection(MIGRATIONS_COLLECTION)
      .insertOne({ _id: '~lock' as never, appliedAt: new Date(), notes: [] });
    await expect(migrateUp(db)).rejects.toThrow('holds the lock');
    await db.collection(MIGRATIONS_COLLECTION).deleteOne({ _id: '~lock' as never });
    await db.collection(MIGRATIONS_COLLECTION).insertOne({
      _id: '20991231000000-from-the-future' as never,
      appliedAt: new Date(),
      notes: [],
    });
    await expect(migrationStatus(db)).rejects.toThrow('without a file');
    await expect(migrateUp(db)).rejects.toThrow('immutable');
  });

  it('when a hand-made index appears, then the schema check reports it', async () => {
    const other = await createTestDatabase();
    const c = new MongoClient(other.uri);
    try {
      await c.db(other.name).collection('user_profiles').createIndex({ bio: 1 }, { name: 'bio_1' });
      expect(diffSchemas(readSchemaSnapshot(), await describeSchema(c.db(other.name)))).toEqual([
        'user_profiles: unexpected index {"name":"bio_1","key":{"bio":1}}',
      ]);
    } finally {
      await c.close();
      await other.drop();
    }
  });
});

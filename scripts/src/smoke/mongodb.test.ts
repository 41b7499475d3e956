import { MongoClient, MongoServerError } from 'mongodb';
import { requireEnv, uniqueSuffix } from './env.ts';

describe('MongoDB wire protocol smoke test (FerretDB locally, MongoDB 7 or DocumentDB elsewhere)', () => {
  const client = new MongoClient(requireEnv('MONGODB_URI'), { serverSelectionTimeoutMS: 10_000 });
  const db = client.db(`smoke_${uniqueSuffix()}`);
  const profiles = db.collection<{ userId: string; displayName: string; email: string }>(
    'profiles',
  );

  beforeAll(async () => {
    await client.connect();
    await profiles.createIndex({ userId: 1 }, { unique: true });
    await profiles.insertMany([
      { userId: 'u1', displayName: 'Ada Lovelace', email: 'ada@example.com' },
      { userId: 'u2', displayName: 'Grace Hopper', email: 'grace@example.com' },
      { userId: 'u3', displayName: 'Alan Turing', email: 'ALAN@example.com' },
    ]);
  });

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('when a document is inserted, then the driver reads it back by key', async () => {
    const found = await profiles.findOne({ userId: 'u2' });
    expect(found).toMatchObject({ displayName: 'Grace Hopper', email: 'grace@example.com' });
  });

  it('when a duplicate key is inserted, then the unique index refuses it with code 11000', async () => {
    const error = await profiles
      .insertOne({ userId: 'u1', displayName: 'Copy', email: 'copy@example.com' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).code).toBe(11000);
    expect(await profiles.countDocuments({ userId: 'u1' })).toBe(1);
  });

  it('when searching with a case-insensitive regex, then matches ignore case', async () => {
    const byName = await profiles
      .find({ displayName: { $regex: 'a', $options: 'i' } }, { projection: { _id: 0, userId: 1 } })
      .sort({ userId: 1 })
      .toArray();
    expect(byName.map((p) => p.userId)).toEqual(['u1', 'u2', 'u3']);
    const byEmail = await profiles.find({ email: { $regex: '^alan@', $options: 'i' } }).toArray();
    expect(byEmail.map((p) => p.userId)).toEqual(['u3']);
  });

  it('when a document is updated, then the change is visible to the next read', async () => {
    const result = await profiles.updateOne(
      { userId: 'u3' },
      { $set: { displayName: 'A. M. Turing' } },
    );
    expect(result.modifiedCount).toBe(1);
    expect((await profiles.findOne({ userId: 'u3' }))?.displayName).toBe('A. M. Turing');
  });
});

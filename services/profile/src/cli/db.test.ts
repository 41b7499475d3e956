import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ProfileDoc } from '../domain/profile-model.ts';
import { createTestProfile, type TestProfile } from '../test/harness.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('./db.ts', import.meta.url));

describe('database commands (db:seed, db:backup, db:restore, db:validate)', () => {
  let t: TestProfile;
  let backupDir: string;
  beforeAll(async () => {
    t = await createTestProfile();
    backupDir = mkdtempSync(join(tmpdir(), 'profile-backup-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(backupDir, { recursive: true, force: true });
  });

  const db = (command: string, extra: Record<string, string> = {}) =>
    run(process.execPath, [cli, ...command.split(' ')], {
      env: {
        ...process.env,
        MONGODB_URI: t.config.MONGODB_URI,
        MONGODB_DB: t.config.MONGODB_DB,
        UMS_BACKUP_DIR: backupDir,
        NODE_ENV: 'development',
        ...extra,
      },
    });
  const profiles = () =>
    t.container.mongo.db.collection<ProfileDoc & { demoSeed?: true }>('user_profiles');

  it('when demo users have profiles, then db:seed adds their details, is idempotent, and db:seed:rollback removes only that', async () => {
    const john = await t.registerUser({
      email: 'john.doe@example.com',
      firstName: 'John',
      lastName: 'Doe',
    });
    await t.registerUser({ email: 'Jane.Smith@example.com', firstName: 'Jane', lastName: 'Smith' });
    const first = await db('seed');
    expect(first.stdout).toContain('demo profile details added to 2 profiles');
    expect(first.stdout).toContain('no profile yet for 4 demo users');
    expect(await profiles().findOne({ _id: john.id })).toMatchObject({
      firstName: 'John',
      jobTitle: 'Software Engineer',
      location: 'New York, USA',
      preferences: { timezone: 'America/New_York' },
      demoSeed: true,
    });
    expect((await db('seed')).stdout).toContain('added to 2 profiles');
    expect(await profiles().countDocuments({ demoSeed: true })).toBe(2);

    expect((await db('seed:rollback')).stdout).toContain('removed demo details from 2 profiles');
    const after = await profiles().findOne({ _id: john.id });
    expect(after).toMatchObject({
      firstName: 'John',
      email: 'john.doe@example.com',
      jobTitle: null,
      bio: null,
    });
    expect(after?.demoSeed).toBeUndefined();
  });

  it('when NODE_ENV is production, then db:seed refuses', async () => {
    await expect(db('seed', { NODE_ENV: 'production' })).rejects.toMatchObject({
      stderr: expect.stringContaining('never seeded'),
    });
  });

  it('when backed up and restored, then every document comes back with exact types', async () => {
    await t.registerUser({
      email: 'restore.me@example.com',
      lastLoginAt: '2025-03-04T05:06:07.089Z',
    });
    const before = await profiles().find({}).sort({ _id: 1 }).toArray();
    const out = await db('backup');
    expect(out.stdout).toMatch(/backed up \d+ collections/);
    const manifest = JSON.parse(
      readFileSync(join(backupDir, 'profile-mongodb/manifest.json'), 'utf8'),
    ) as { collections: { name: string }[] };
    expect(manifest.collections.map((c) => c.name)).toEqual(
      expect.arrayContaining(['user_profiles', 'audit_logs', 'schema_migrations']),
    );
    expect(existsSync(join(backupDir, 'profile-mongodb/user_profiles.ejson'))).toBe(true);

    await profiles().deleteMany({});
    await db('restore');
    const restored = await profiles().find({}).sort({ _id: 1 }).toArray();
    expect(restored).toEqual(before);
    expect(restored.find((p) => p.email === 'restore.me@example.com')?.lastLoginAt).toEqual(
      new Date('2025-03-04T05:06:07.089Z'),
    );
    expect((await db('validate')).stdout).toContain('match the migrations snapshot');
  });

  it('when a command is unknown or reset lacks --force, then it fails with a clear message', async () => {
    await expect(db('frobnicate')).rejects.toMatchObject({
      stderr: expect.stringContaining('unknown command'),
    });
    await expect(db('reset')).rejects.toMatchObject({ stderr: expect.stringContaining('--force') });
  });
});

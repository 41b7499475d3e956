import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { defaultPreferences, type ProfileDoc } from '../src/domain/profile-model.ts';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Margaret',
  'Linus',
  'Ken',
  'Radia',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Hamilton',
  'Torvalds',
  'Thompson',
  'Perlman',
];
const ROLES = [
  'user',
  'user',
  'user',
  'user',
  'user',
  'user',
  'user',
  'user',
  'admin',
  'super_admin',
];
const STATUSES = [
  'active',
  'active',
  'active',
  'active',
  'active',
  'active',
  'active',
  'inactive',
  'suspended',
  'active',
] as const;

/** Profiles shaped exactly as the event consumer writes them, inserted in batches. */
export async function seedUsers(db: Db, count: number, batch = 5_000): Promise<string[]> {
  const ids: string[] = [];
  const profiles = db.collection<ProfileDoc>('user_profiles');
  const start = Date.UTC(2023, 0, 1);
  for (let offset = 0; offset < count; offset += batch) {
    const docs: ProfileDoc[] = [];
    for (let i = offset; i < Math.min(count, offset + batch); i += 1) {
      const id = randomUUID();
      ids.push(id);
      const firstName = `${FIRST[i % 10]}${i}`;
      const lastName = LAST[Math.floor(i / 10) % 10] as string;
      const email = `${firstName.toLowerCase()}.${lastName.toLowerCase()}@bench.example`;
      const createdAt = new Date(start + i * 60_000);
      docs.push({
        _id: id,
        userId: id,
        email,
        emailLower: email,
        role: ROLES[i % 10] as string,
        status: STATUSES[i % 10] as ProfileDoc['status'],
        emailVerified: true,
        mfaEnabled: i % 3 === 0,
        createdAt,
        lastLoginAt: i % 2 ? new Date(createdAt.getTime() + 86_400_000) : null,
        firstName,
        lastName,
        displayName: null,
        bio: 'Benchmark user with a short biography that looks like real profile text.',
        phone: null,
        location: 'Somewhere',
        website: null,
        jobTitle: 'Engineer',
        company: 'Bench Corp',
        sortName: `${lastName} ${firstName}`.toLowerCase(),
        preferences: defaultPreferences,
        avatar: null,
        sync: { at: createdAt, position: '000000000000000-0000000000000000000' },
        updatedAt: createdAt,
      });
    }
    await profiles.insertMany(docs, { ordered: false });
  }
  return ids;
}

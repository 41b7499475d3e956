import type { Db } from 'mongodb';
import type { Preferences, ProfileDoc } from '../domain/profile-model.ts';
import { defaultPreferences } from '../domain/profile-model.ts';
import { PROFILES } from './profiles-repository.ts';

/**
 * Rich profile details for the six demo users (development and demo only). The users and their
 * ids belong to the auth service: their profiles are created when its `user.registered` events
 * arrive, and the seed only adds details to those that exist, matched by email. Idempotent; the
 * rollback removes only what the seed added (marked with `demoSeed`).
 */
interface DemoDetails {
  email: string;
  displayName: string;
  bio: string;
  jobTitle: string;
  company: string;
  location: string;
  phone: string;
  website: string | null;
  preferences: Preferences;
}

const prefs = (p: Partial<Preferences>): Preferences => ({ ...defaultPreferences, ...p });

export const demoProfiles: readonly DemoDetails[] = [
  {
    email: 'admin@usermanagement.local',
    displayName: 'System Administrator',
    bio: 'Keeps the platform running: roles, policies and the audit trail.',
    jobTitle: 'Platform Administrator',
    company: 'User Management Inc.',
    location: 'Remote',
    phone: '+1 555 0100',
    website: null,
    preferences: prefs({ theme: 'dark', timezone: 'UTC' }),
  },
  {
    email: 'demo.admin@usermanagement.local',
    displayName: 'Demo Admin',
    bio: 'Administers demo accounts and shows the admin console around.',
    jobTitle: 'Support Lead',
    company: 'User Management Inc.',
    location: 'London, UK',
    phone: '+44 20 7946 0000',
    website: null,
    preferences: prefs({ timezone: 'Europe/London' }),
  },
  {
    email: 'john.doe@example.com',
    displayName: 'John Doe',
    bio: 'Backend developer. Coffee, cycling and clean APIs.',
    jobTitle: 'Software Engineer',
    company: 'Example Corp',
    location: 'New York, USA',
    phone: '+1 212 555 0199',
    website: 'https://example.com/john',
    preferences: prefs({ theme: 'light', timezone: 'America/New_York' }),
  },
  {
    email: 'jane.smith@example.com',
    displayName: 'Jane Smith',
    bio: 'Product designer who likes accessible interfaces.',
    jobTitle: 'Product Designer',
    company: 'Example Corp',
    location: 'Madrid, Spain',
    phone: '+34 91 123 4567',
    website: 'https://example.com/jane',
    preferences: prefs({ language: 'es', timezone: 'Europe/Madrid' }),
  },
  {
    email: 'alice.wilson@example.com',
    displayName: 'Alice Wilson',
    bio: 'Data analyst. Dashboards, SQL and long walks.',
    jobTitle: 'Data Analyst',
    company: 'Example Corp',
    location: 'Paris, France',
    phone: '+33 1 23 45 67 89',
    website: null,
    preferences: prefs({ language: 'fr', theme: 'dark', timezone: 'Europe/Paris' }),
  },
  {
    email: 'mike.brown@example.com',
    displayName: 'Mike Brown',
    bio: 'Operations manager for the regional team.',
    jobTitle: 'Operations Manager',
    company: 'Example Corp',
    location: 'Dubai, UAE',
    phone: '+971 4 123 4567',
    website: null,
    preferences: prefs({ language: 'ar', timezone: 'Asia/Dubai' }),
  },
];

const DETAIL_FIELDS = [
  'displayName',
  'bio',
  'jobTitle',
  'company',
  'location',
  'phone',
  'website',
] as const;

export async function seedDemoProfiles(
  db: Db,
  nodeEnv: string,
): Promise<{ enriched: string[]; missing: string[] }> {
  if (nodeEnv === 'production')
    throw new Error('demo profiles are never seeded when NODE_ENV=production');
  const profiles = db.collection<ProfileDoc & { demoSeed?: true }>(PROFILES);
  const enriched: string[] = [];
  const missing: string[] = [];
  for (const demo of demoProfiles) {
    const { email, ...details } = demo;
    const result = await profiles.updateOne(
      { emailLower: email.toLowerCase() },
      { $set: { ...details, demoSeed: true, updatedAt: new Date() } },
    );
    (result.matchedCount ? enriched : missing).push(email);
  }
  return { enriched, missing };
}

export async function rollbackDemoProfiles(db: Db): Promise<string[]> {
  const profiles = db.collection<ProfileDoc & { demoSeed?: true }>(PROFILES);
  const reverted: string[] = [];
  for (const { email } of demoProfiles) {
    const cleared = Object.fromEntries(DETAIL_FIELDS.map((f) => [f, null]));
    const result = await profiles.updateOne(
      { emailLower: email.toLowerCase(), demoSeed: true },
      {
        $set: { ...cleared, preferences: defaultPreferences, updatedAt: new Date() },
        $unset: { demoSeed: '' },
      },
    );
    if (result.modifiedCount) reverted.push(email);
  }
  return reverted;
}

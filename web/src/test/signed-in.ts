import { session } from '../lib/session/session-manager.ts';

export const testUser = { id: 'u1', email: 'ada@example.com', role: 'user' };

/** Starts the app's session as if the user had just signed in (bearer `at-1`). */
export function signInForTest(accessToken = 'at-1'): void {
  session.signIn({ accessToken, expiresIn: 900, tokenType: 'Bearer', user: testUser });
}

export const testMe = {
  ...testUser,
  permissions: [],
  status: 'active',
  emailVerified: true,
  mfaEnabled: false,
  firstName: 'Ada',
  lastName: 'Lovelace',
  createdAt: '2025-01-02T03:04:05Z',
};

export function testProfile(overrides: Record<string, unknown> = {}) {
  return {
    id: testUser.id,
    email: testUser.email,
    firstName: 'Ada',
    lastName: 'Lovelace',
    displayName: null,
    bio: null,
    phone: null,
    location: null,
    website: null,
    jobTitle: null,
    company: null,
    avatarUrl: null,
    role: 'user',
    status: 'active',
    emailVerified: true,
    mfaEnabled: false,
    createdAt: '2025-01-02T03:04:05Z',
    lastLoginAt: null,
    updatedAt: null,
    preferences: {
      language: 'en',
      theme: 'system',
      timezone: 'UTC',
      notifications: { email: true, push: false, sms: false },
    },
    ...overrides,
  };
}

/** jsdom has no object URLs: numbered fake ones, with the Blobs they were made from. */
export function stubObjectUrls() {
  const blobs = new Map<string, Blob>();
  const revoked = new Set<string>();
  let next = 0;
  const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
  URL.createObjectURL = (blob: Blob | MediaSource) => {
    next += 1;
    const url = `blob:test/${next}`;
    blobs.set(url, blob as Blob);
    return url;
  };
  URL.revokeObjectURL = (url: string) => void revoked.add(url);
  return {
    blobs,
    revoked,
    restore: () => {
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
    },
  };
}

/** The value, or a failed test when it is missing (instead of a non-null assertion). */
export function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value');
  return value;
}

// Helpers for the MFA tests (not part of the runtime): users with sessions, enrolment through
// the API, and TOTP codes computed the way an authenticator app would.
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import request from 'supertest';
import type { UserRecord } from '../data/users-repository.ts';
import { totpSettings } from '../domain/mfa.ts';
import { hashPassword } from '../domain/passwords.ts';
import type { TestAuth } from './harness.ts';

export interface SignedInUser {
  user: UserRecord;
  password: string;
  accessToken: string;
  sessionId: string;
}

/** A new active user and a session of theirs (independent of the login route's progress). */
export async function signedInUser(t: TestAuth, role = 'user'): Promise<SignedInUser> {
  const password = `Correct-Horse-${randomBytes(6).toString('hex')}`;
  const user = await t.container.users.insert(t.container.db, {
    email: `mfa-${randomBytes(5).toString('hex')}@example.com`,
    passwordHash: await hashPassword(password),
    role,
    emailVerified: true,
  });
  const pair = await t.container.sessions.issue(t.container.db, user, {
    ip: '127.0.0.1',
    userAgent: 'test',
  });
  return { user, password, accessToken: pair.accessToken, sessionId: pair.sessionId };
}

/** The code an authenticator app shows `offsetSeconds` from now. */
export function totpAt(secret: string, offsetSeconds = 0): Promise<string> {
  return generate({
    secret,
    epoch: Math.floor(Date.now() / 1000) + offsetSeconds,
    ...totpSettings,
  });
}

/**
 * Waits until at least `minLeft` seconds remain in the current 30 s step, so "this step" and
 * "the previous step" mean the same thing to the test and to the server a moment later.
 */
export async function awayFromStepBoundary(minLeft = 5): Promise<void> {
  const left = totpSettings.period - ((Date.now() / 1000) % totpSettings.period);
  if (left < minLeft) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200));
}

/**
 * Enrols through the API. The enabling code is the previous step's, so the current step's code
 * is still unused afterwards and a test can sign in with it straight away.
 */
export async function enrol(
  t: TestAuth,
  who: SignedInUser,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  await awayFromStepBoundary();
  const setup = await request(t.app)
    .post('/api/v1/auth/mfa/totp/setup')
    .auth(who.accessToken, { type: 'bearer' })
    .expect(200);
  const secret = setup.body.secret as string;
  const enabled = await request(t.app)
    .post('/api/v1/auth/mfa/totp/enable')
    .auth(who.accessToken, { type: 'bearer' })
    .send({ code: await totpAt(secret, -totpSettings.period) })
    .expect(200);
  return { secret, recoveryCodes: enabled.body.recoveryCodes as string[] };
}

/** Outbox events about one user, oldest first. */
export async function eventsOf(
  t: TestAuth,
  userId: string,
): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const { rows } = await t.container.db.query<{
    type: string;
    payload: { data: Record<string, unknown> };
  }>('SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id', [userId]);
  return rows.map((r) => ({ type: r.type, data: r.payload.data }));
}

/** Every captured log line, for "never logged" assertions. */
export function allLogs(t: TestAuth): string {
  return t.logs.lines().join('\n');
}

import { jest } from '@jest/globals';
import type { Response } from 'supertest';
import { readOutbox } from './mailer.ts';
import {
  behindProxy,
  closeTestAuth,
  createUser,
  eventsOf,
  flushMail,
  login,
  mailTo,
  nextIp,
  post,
  strongPassword,
  tokenFromLink,
  uniqueEmail,
} from '../test/auth-test-support.ts';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import { throttleRules } from './throttle.ts';

// Real argon2 hashing on shared cores: generous per-test time.
jest.setTimeout(120_000);

const REGISTER = '/api/v1/auth/register';

/** What a client can compare between two answers: status, problem body without per-request ids. */
function shape(res: Response) {
  const { requestId: _requestId, ...body } = res.body as Record<string, unknown>;
  return { status: res.status, body, challenge: res.headers['www-authenticate'] };
}

const confirmations = async (t: TestAuth, email: string) =>
  (await readOutbox(t.config.MAIL_OUTBOX_DIR, email)).filter((m) =>
    /Confirm your email address/.test(m.subject),
  );

describe('sign-in before the email address is verified (register-then-login enumeration)', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth({ ...behindProxy, PUBLIC_BASE_URL: 'https://app.example.test' });
  });
  afterAll(async () => closeTestAuth(t));

  it('when someone registers an address and signs in with the password they chose, then an existing account and a new one answer alike', async () => {
    const taken = await createUser(t); // an existing, verified account
    const fresh = uniqueEmail();
    const chosen = strongPassword();
    const ip = nextIp();

    expect((await post(t, REGISTER, { email: taken.email, password: chosen }, { ip })).status).toBe(
      201,
    );
    expect((await post(t, REGISTER, { email: fresh, password: chosen }, { ip })).status).toBe(201);
    const existing = await login(t, taken.email, chosen, { ip: nextIp() });
    const created = await login(t, fresh, chosen, { ip: nextIp() });

    expect(existing.status).toBe(401);
    expect(shape(created)).toEqual(shape(existing));
    expect(created.body.code).toBe('auth.invalid_credentials');
    expect(created.body.accessToken).toBeUndefined();
  });

  it('when both are tried again and again, then the per-account budget runs out after the same number of tries for both', async () => {
    const taken = await createUser(t);
    const fresh = uniqueEmail();
    const chosen = strongPassword();
    await post(t, REGISTER, { email: taken.email, password: chosen });
    await post(t, REGISTER, { email: fresh, password: chosen });
    const triesUntil429 = async (email: string) => {
      for (let i = 1; i <= throttleRules.loginFailuresPerAccount.points + 2; i += 1) {
        if ((await login(t, email, chosen, { ip: nextIp() })).status === 429) return i;
      }
      return Number.POSITIVE_INFINITY;
    };
    const existing = await triesUntil429(taken.email);
    expect(existing).toBe(throttleRules.loginFailuresPerAccount.points + 1);
    expect(await triesUntil429(fresh)).toBe(existing);
  });

  it('when the owner of a new account signs in before verifying, then they are refused, mailed a new link, and sign in once it is opened', async () => {
    const email = uniqueEmail();
    const password = strongPassword();
    await post(t, REGISTER, { email, password }).expect(201);
    await mailTo(t, email, /Confirm your email address/);

    expect((await login(t, email, password)).status).toBe(401);
    await flushMail(t);
    const links = await confirmations(t, email);
    expect(links).toHaveLength(2);
    const [refusal] = await eventsOf(t, 'auth.login_failed', (await userId(t, email)) ?? '');
    expect(refusal?.data).toMatchObject({ reason: 'unverified', method: 'password' });
    const { rows } = await t.container.db.query<{ failed_login_count: number }>(
      'SELECT failed_login_count FROM users WHERE email_normalized = $1',
      [email],
    );
    expect(rows[0]?.failed_login_count).toBe(0); // no lockout for trying too early

    // The first link was replaced by the second; the newest one verifies.
    const token = tokenFromLink(links.at(-1)?.links.verifyEmail);
    await post(t, '/api/v1/auth/email/verify', { token }).expect(200);
    const signedIn = await login(t, email, password);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ email, emailVerified: true });
  });

  it('when an unverified account resets its password through the mailed link, then the address counts as verified and it signs in', async () => {
    const email = uniqueEmail();
    await post(t, REGISTER, { email, password: strongPassword() }).expect(201);
    await post(t, '/api/v1/auth/password/forgot', { email }).expect(202);
    const mail = await mailTo(t, email, /Reset your password/);
    const newPassword = strongPassword();
    await post(t, '/api/v1/auth/password/reset', {
      token: tokenFromLink(mail.links.resetPassword),
      newPassword,
    }).expect(204);
    const signedIn = await login(t, email, newPassword);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.emailVerified).toBe(true);
    const [verified] = await eventsOf(t, 'user.email_verified', signedIn.body.user.id as string);
    expect(verified?.data).toMatchObject({ email, method: 'password_reset' });
  });
});

async function userId(t: TestAuth, email: string): Promise<string | undefined> {
  const { rows } = await t.container.db.query<{ id: string }>(
    'SELECT id FROM users WHERE email_normalized = $1',
    [email],
  );
  return rows[0]?.id;
}

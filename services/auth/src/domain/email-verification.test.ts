import { jest } from '@jest/globals';
import { readOutbox } from './mailer.ts';
import { throttleRules } from './throttle.ts';
import {
  allMailedTokens,
  behindProxy,
  closeTestAuth,
  createUser,
  eventsOf,
  first,
  get,
  linesContaining,
  mailTo,
  post,
  signIn,
  strongPassword,
  tokenFromLink,
  uniqueEmail,
} from '../test/auth-test-support.ts';
import { createTestAuth, type TestAuth } from '../test/harness.ts';

// Real argon2 hashing on shared cores: generous per-test time.
jest.setTimeout(60_000);

const VERIFY = '/api/v1/auth/email/verify';
const RESEND = '/api/v1/auth/email/resend';

/** Registers through the API; returns the account, its password and the emailed verification token. */
async function registered(t: TestAuth) {
  const email = uniqueEmail();
  const password = strongPassword();
  const res = await post(t, '/api/v1/auth/register', { email, password });
  expect(res.status).toBe(201);
  const mail = await mailTo(t, email, /Confirm your email/);
  return {
    id: res.body.user.id as string,
    email,
    password,
    token: tokenFromLink(mail.links.verifyEmail),
  };
}

async function isVerified(t: TestAuth, id: string): Promise<boolean> {
  const { rows } = await t.container.db.query<{ email_verified: boolean }>(
    'SELECT email_verified FROM users WHERE id = $1',
    [id],
  );
  return first(rows).email_verified;
}

/** A session of an unverified account: only one started before sign-in required verification. */
async function sessionOf(t: TestAuth, id: string): Promise<{ accessToken: string }> {
  const user = await t.container.users.findById(t.container.db, id);
  if (!user) throw new Error('no such user');
  return t.container.sessions.issue(t.container.db, user, { ip: '127.0.0.1', userAgent: 'test' });
}

describe('email verification', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth({ ...behindProxy, PUBLIC_BASE_URL: 'https://app.example.test/' });
  });
  afterAll(async () => closeTestAuth(t));

  it('when the emailed token is used, then the address is verified once, the event is recorded, and the token never works again', async () => {
    const account = await registered(t);
    expect(await isVerified(t, account.id)).toBe(false);
    const res = await post(t, VERIFY, { token: account.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ emailVerified: true });
    expect(await isVerified(t, account.id)).toBe(true);
    expect(await eventsOf(t, 'user.email_verified', account.id)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ email: account.email }) }),
    ]);

    const again = await post(t, VERIFY, { token: account.token });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('auth.invalid_verification_token');
    const { accessToken } = await signIn(t, account.email, account.password);
    expect((await get(t, '/api/v1/auth/me', { token: accessToken })).body.emailVerified).toBe(true);
  });

  it('when the token has expired or is unknown, then it is refused and the address stays unverified', async () => {
    const account = await registered(t);
    await t.container.db.query(
      `UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [account.id],
    );
    for (const token of [account.token, 'B'.repeat(43)]) {
      const res = await post(t, VERIFY, { token });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('auth.invalid_verification_token');
    }
    expect((await post(t, VERIFY, {})).status).toBe(400);
    expect(await isVerified(t, account.id)).toBe(false);
  });

  it('when a password reset token is offered for verification, then it is refused (tokens are bound to their purpose)', async () => {
    const { email, user } = await createUser(t, { emailVerified: false });
    expect((await post(t, '/api/v1/auth/password/forgot', { email })).status).toBe(202);
    const reset = tokenFromLink(
      (await mailTo(t, email, /Reset your password/)).links.resetPassword,
    );
    expect((await post(t, VERIFY, { token: reset })).status).toBe(400);
    expect(await isVerified(t, user.id)).toBe(false);
  });

  it('when a signed-in unverified user asks for a new link, then it arrives, the older link stops working, and the new one verifies', async () => {
    const account = await registered(t);
    // An unverified address cannot sign in any more: a session from before that rule.
    const { accessToken } = await sessionOf(t, account.id);
    const res = await post(t, RESEND, undefined, { token: accessToken });
    expect(res.status).toBe(202);
    const fresh = await mailTo(
      t,
      account.email,
      /Confirm your email/,
      (m) => !m.links.verifyEmail?.includes(account.token),
    );
    const token = tokenFromLink(fresh.links.verifyEmail);
    expect(fresh.links.verifyEmail).toMatch(/^https:\/\/app\.example\.test\/verify-email#token=/);
    expect((await post(t, VERIFY, { token: account.token })).status).toBe(400);
    expect((await post(t, VERIFY, { token })).status).toBe(200);
    expect(await isVerified(t, account.id)).toBe(true);
  });

  it('when the address is already verified, then resend answers 409; without a token it is 401', async () => {
    const { email, password } = await createUser(t, { emailVerified: true });
    const { accessToken } = await signIn(t, email, password);
    const res = await post(t, RESEND, undefined, { token: accessToken });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('auth.email_already_verified');
    expect((await post(t, RESEND)).status).toBe(401);
  });

  it('when a user asks for links again and again, then resend is throttled with 429 and Retry-After', async () => {
    const { email, user } = await createUser(t, { emailVerified: false });
    const { accessToken } = await sessionOf(t, user.id);
    for (let i = 0; i < throttleRules.verificationResendPerUser.points; i += 1) {
      expect((await post(t, RESEND, undefined, { token: accessToken })).status).toBe(202);
    }
    const refused = await post(t, RESEND, undefined, { token: accessToken });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('auth.too_many_requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await mailTo(t, email, /Confirm/);
    expect((await readOutbox(t.config.MAIL_OUTBOX_DIR, email)).length).toBeLessThanOrEqual(
      throttleRules.verificationResendPerUser.points,
    );
  });

  it('when the suite has run, then no captured log line contains a verification token', async () => {
    const tokens = await allMailedTokens(t);
    expect(tokens.length).toBeGreaterThan(3);
    expect(linesContaining(t, tokens)).toEqual([]);
  });
});

import { createHash } from 'node:crypto';
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
  flushMail,
  linesContaining,
  login,
  median,
  mailTo,
  nextIp,
  post,
  signIn,
  strongPassword,
  tokenFromLink,
  uniqueEmail,
} from '../test/auth-test-support.ts';
import { createTestAuth, type TestAuth } from '../test/harness.ts';

// Real argon2 hashing on shared cores: generous per-test time.
jest.setTimeout(60_000);

const CHANGE = '/api/v1/auth/password/change';
const FORGOT = '/api/v1/auth/password/forgot';
const RESET = '/api/v1/auth/password/reset';
const BASE = 'https://accounts.example.test';

const passwordsUsed: string[] = [];
const pw = () => {
  const p = strongPassword();
  passwordsUsed.push(p);
  return p;
};

async function liveSessions(t: TestAuth, userId: string): Promise<string[]> {
  const { rows } = await t.container.db.query<{ family_id: string }>(
    'SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
    [userId],
  );
  return rows.map((r) => r.family_id);
}

/** The session id (`sid`) inside an access token. */
const sidOf = (accessToken: string) =>
  JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()).sid as string;

/** Asks for a reset link and returns its token. */
async function resetTokenFor(t: TestAuth, email: string): Promise<string> {
  const seen = new Set((await readOutbox(t.config.MAIL_OUTBOX_DIR, email)).map((m) => m.id));
  expect((await post(t, FORGOT, { email })).status).toBe(202);
  const mail = await mailTo(t, email, /Reset your password/, (m) => !seen.has(m.id));
  return tokenFromLink(mail.links.resetPassword);
}

describe('password change', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth({ ...behindProxy, PUBLIC_BASE_URL: BASE });
  });
  afterAll(async () => closeTestAuth(t));

  it('when the current password is right, then the password changes, other sessions end, this one stays, the user is told', async () => {
    const { user, email, password } = await createUser(t, { password: pw() });
    const here = await signIn(t, email, password);
    const elsewhere = await signIn(t, email, password);
    const next = pw();
    const res = await post(
      t,
      CHANGE,
      { currentPassword: password, newPassword: next },
      { token: here.accessToken },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sessionsRevoked: 1 });
    expect(await liveSessions(t, user.id)).toEqual([sidOf(here.accessToken)]);
    expect(sidOf(elsewhere.accessToken)).not.toBe(sidOf(here.accessToken));
    const { rows } = await t.container.db.query<{ revoked_reason: string }>(
      'SELECT revoked_reason FROM refresh_tokens WHERE family_id = $1',
      [sidOf(elsewhere.accessToken)],
    );
    expect(rows.map((r) => r.revoked_reason)).toEqual(['password_changed']);

    expect((await login(t, email, password)).status).toBe(401);
    expect((await login(t, email, next)).status).toBe(200);
    expect(await eventsOf(t, 'user.password_changed', user.id)).toEqual([
      expect.objectContaining({
        actorId: user.id,
        data: expect.objectContaining({ method: 'change', sessionsRevoked: 1 }),
      }),
    ]);
    const mail = await mailTo(t, email, /password was changed/);
    expect(mail.text).not.toContain(next);
  });

  it('when the current password is wrong or missing, then it fails (400), nothing changes, and wrong ones count toward lockout', async () => {
    const { user, email, password } = await createUser(t, { password: pw() });
    const { accessToken } = await signIn(t, email, password);
    const missing = await post(t, CHANGE, { newPassword: pw() }, { token: accessToken });
    expect(missing.status).toBe(400);
    for (let i = 0; i < 5; i += 1) {
      const wrong = await post(
        t,
        CHANGE,
        { currentPassword: pw(), newPassword: pw() },
        { token: accessToken },
      );
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe('auth.invalid_current_password');
    }
    const { rows } = await t.container.db.query<{
      failed_login_count: number;
      locked_until: Date | null;
    }>('SELECT failed_login_count, locked_until FROM users WHERE id = $1', [user.id]);
    expect(rows[0]?.failed_login_count).toBe(5);
    expect(rows[0]?.locked_until).not.toBeNull();
    // Locked now: even the right current password is refused, and sign-in too.
    expect(
      (
        await post(
          t,
          CHANGE,
          { currentPassword: password, newPassword: pw() },
          { token: accessToken },
        )
      ).body.code,
    ).toBe('auth.invalid_current_password');
    expect((await login(t, email, password)).status).toBe(401);
    expect(await eventsOf(t, 'user.password_changed', user.id)).toHaveLength(0);
  });

  it('when the new password breaks the policy, then it is refused with its code and the old password still works', async () => {
    const email = uniqueEmail('rosalind');
    const { password } = await createUser(t, { email, password: pw() });
    const { accessToken } = await signIn(t, email, password);
    const cases: [string, string][] = [
      ['Short-pass1', 'auth.password_too_short'],
      ['qwerty123456', 'auth.password_too_common'],
      [`x-${email.split('@')[0]}-x`, 'auth.password_contains_email'],
      ['y'.repeat(129), 'auth.password_too_long'],
    ];
    for (const [newPassword, code] of cases) {
      const res = await post(
        t,
        CHANGE,
        { currentPassword: password, newPassword },
        { token: accessToken },
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(code);
    }
    expect((await login(t, email, password)).status).toBe(200);
  });

  it('when no access token is given, then it is 401', async () => {
    expect((await post(t, CHANGE, { currentPassword: 'a', newPassword: 'b' })).status).toBe(401);
  });
});

describe('forgot password and reset', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth({ ...behindProxy, PUBLIC_BASE_URL: BASE });
  });
  afterAll(async () => closeTestAuth(t));

  it('when the email is known or unknown, then the answer is the same 202 and only the known one gets a link', async () => {
    const { email } = await createUser(t);
    const ghost = uniqueEmail('ghost');
    const known = await post(t, FORGOT, { email });
    const unknown = await post(t, FORGOT, { email: ghost });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    await mailTo(t, email, /Reset your password/);
    expect(await readOutbox(t.config.MAIL_OUTBOX_DIR, ghost)).toEqual([]);
  });

  it('when known and unknown emails are timed, then their median latencies are of the same order', async () => {
    const users = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map(() => createUser(t, { passwordHash: null })),
    );
    const timed = async (email: string) => {
      const started = performance.now();
      expect((await post(t, FORGOT, { email })).status).toBe(202);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (const u of users) {
      known.push(await timed(u.email));
      unknown.push(await timed(uniqueEmail('ghost')));
    }
    // Generous on purpose; the token and mail work happen after the reply for known addresses.
    expect(median(known)).toBeLessThan(median(unknown) * 2 + 5);
    expect(median(unknown)).toBeLessThan(median(known) * 2 + 5);
  });

  it('when the Host header is forged, then the emailed link still starts with PUBLIC_BASE_URL', async () => {
    const { email } = await createUser(t);
    const res = await post(
      t,
      FORGOT,
      { email },
      {
        headers: {
          Host: 'attacker.example.net',
          'X-Forwarded-Host': 'attacker.example.net',
          'X-Forwarded-Proto': 'http',
        },
      },
    );
    expect(res.status).toBe(202);
    const mail = await mailTo(t, email, /Reset your password/);
    expect(mail.links.resetPassword).toMatch(
      /^https:\/\/accounts\.example\.test\/reset-password#token=/,
    );
    expect(mail.text).not.toContain('attacker');
  });

  it('when a reset link is issued, then its token has 256 bits, is stored only as a hash and expires in one hour', async () => {
    const { user, email } = await createUser(t);
    const token = await resetTokenFor(t, email);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const { rows } = await t.container.db.query<{ token_hash: Buffer; ttl: number }>(
      `SELECT token_hash, extract(epoch FROM expires_at - created_at)::int AS ttl FROM one_time_tokens WHERE user_id = $1 AND purpose = 'reset_password'`,
      [user.id],
    );
    expect(rows).toHaveLength(1);
    expect(first(rows).token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(first(rows).ttl).toBe(3600);
    expect(await eventsOf(t, 'auth.password_reset_requested', user.id)).toHaveLength(1);
  });

  it('when the token is used, then the password changes, every session ends, the user is told, and the token never works again', async () => {
    const { user, email, password } = await createUser(t, { password: pw() });
    await signIn(t, email, password);
    await signIn(t, email, password);
    const token = await resetTokenFor(t, email);
    const next = pw();
    const res = await post(t, RESET, { token, newPassword: next });
    expect(res.status).toBe(204);
    expect(await liveSessions(t, user.id)).toEqual([]);
    const { rows } = await t.container.db.query<{ revoked_reason: string }>(
      'SELECT DISTINCT revoked_reason FROM refresh_tokens WHERE user_id = $1',
      [user.id],
    );
    expect(rows.map((r) => r.revoked_reason)).toEqual(['password_reset']);
    expect((await login(t, email, password)).status).toBe(401);
    expect((await login(t, email, next)).status).toBe(200);
    expect(await eventsOf(t, 'user.password_changed', user.id)).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ method: 'reset', sessionsRevoked: 2 }),
      }),
    ]);
    await mailTo(t, email, /password was changed/);

    const again = await post(t, RESET, { token, newPassword: pw() });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('auth.invalid_reset_token');
    expect((await login(t, email, next)).status).toBe(200);
  });

  it('when the token has expired or is unknown, then the reset is refused with auth.invalid_reset_token', async () => {
    const { user, email, password } = await createUser(t, { password: pw() });
    const token = await resetTokenFor(t, email);
    await t.container.db.query(
      `UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [user.id],
    );
    for (const candidate of [token, 'A'.repeat(43), 'x']) {
      const res = await post(t, RESET, { token: candidate, newPassword: pw() });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('auth.invalid_reset_token');
    }
    expect((await login(t, email, password)).status).toBe(200);
  });

  it('when the new password breaks the policy, then it is refused and the token stays usable', async () => {
    const { email } = await createUser(t, { password: pw() });
    const token = await resetTokenFor(t, email);
    const bad = await post(t, RESET, { token, newPassword: 'qwerty123456' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('auth.password_too_common');
    expect((await post(t, RESET, { token, newPassword: pw() })).status).toBe(204);
  });

  it('when a newer link is asked for, then the older one stops working', async () => {
    const { email } = await createUser(t);
    const first = await resetTokenFor(t, email);
    const second = await resetTokenFor(t, email);
    expect(second).not.toBe(first);
    expect((await post(t, RESET, { token: first, newPassword: pw() })).status).toBe(400);
    expect((await post(t, RESET, { token: second, newPassword: pw() })).status).toBe(204);
  });

  it('when the user has MFA, then after a reset the sign-in still asks for the second factor', async () => {
    const { user, email } = await createUser(t);
    await t.container.db.query('UPDATE users SET mfa_enabled = true WHERE id = $1', [user.id]);
    const next = pw();
    expect(
      (await post(t, RESET, { token: await resetTokenFor(t, email), newPassword: next })).status,
    ).toBe(204);
    const res = await login(t, email, next);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
    const { rows } = await t.container.db.query<{ mfa_enabled: boolean }>(
      'SELECT mfa_enabled FROM users WHERE id = $1',
      [user.id],
    );
    expect(rows[0]?.mfa_enabled).toBe(true);
  });

  it('when a locked account is reset, then the lock is cleared', async () => {
    const { user, email } = await createUser(t);
    for (let i = 0; i < 5; i += 1) await login(t, email, pw());
    const next = pw();
    expect(
      (await post(t, RESET, { token: await resetTokenFor(t, email), newPassword: next })).status,
    ).toBe(204);
    expect((await login(t, email, next)).status).toBe(200);
    const { rows } = await t.container.db.query<{ locked_until: Date | null }>(
      'SELECT locked_until FROM users WHERE id = $1',
      [user.id],
    );
    expect(rows[0]?.locked_until).toBeNull();
  });

  it('when one address asks for many links, then it is throttled with 429 and Retry-After', async () => {
    const ip = nextIp();
    for (let i = 0; i < throttleRules.recoveryPerAddress.points; i += 1)
      expect((await post(t, FORGOT, { email: uniqueEmail() }, { ip })).status).toBe(202);
    const refused = await post(t, FORGOT, { email: uniqueEmail() }, { ip });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('auth.too_many_requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('when one mailbox is asked for many links, then the answer stays 202 but at most 3 mails are sent per hour', async () => {
    const { email } = await createUser(t);
    for (let i = 0; i < throttleRules.mailPerAccount.points + 2; i += 1)
      expect((await post(t, FORGOT, { email })).status).toBe(202);
    await flushMail(t);
    expect(await readOutbox(t.config.MAIL_OUTBOX_DIR, email)).toHaveLength(
      throttleRules.mailPerAccount.points,
    );
  });

  it('when a suspended account asks for a link, then the answer is the same and no mail is sent', async () => {
    const { user, email } = await createUser(t);
    await t.container.db.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [user.id]);
    const res = await post(t, FORGOT, { email });
    expect(res.status).toBe(202);
    await flushMail(t);
    expect(await readOutbox(t.config.MAIL_OUTBOX_DIR, email)).toEqual([]);
  });

  it('when the suite has run, then no captured log line contains a password or a reset token', async () => {
    const tokens = await allMailedTokens(t);
    expect(tokens.length).toBeGreaterThan(5);
    expect(linesContaining(t, [...passwordsUsed, ...tokens])).toEqual([]);
  });
});

import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readOutbox } from './mailer.ts';
import {
  allMailedTokens,
  behindProxy,
  closeTestAuth,
  counterValue,
  eventsOf,
  first,
  linesContaining,
  login,
  mailTo,
  post,
  registerVerified,
  strongPassword,
  tokenFromLink,
  uniqueEmail,
} from '../test/auth-test-support.ts';
import { createTestAuth, type TestAuth } from '../test/harness.ts';

// Real argon2 hashing on shared cores: generous per-test time.
jest.setTimeout(60_000);

const REGISTER = '/api/v1/auth/register';
const passwordsUsed: string[] = [];

function remember(password: string): string {
  passwordsUsed.push(password);
  return password;
}

async function userCount(t: TestAuth, email: string): Promise<number> {
  const { rows } = await t.container.db.query<{ n: string }>(
    'SELECT count(*) AS n FROM users WHERE email_normalized = lower($1)',
    [email],
  );
  return Number(rows[0]?.n);
}

describe('registration and the password policy', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth({ ...behindProxy, PUBLIC_BASE_URL: 'https://app.example.test' });
  });
  afterAll(async () => closeTestAuth(t));

  it('when a password has 11 characters, then it is refused with auth.password_too_short; 12 are accepted', async () => {
    const short = uniqueEmail();
    const res = await post(t, REGISTER, { email: short, password: remember('Kj8#mq2!Lp0') });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('auth.password_too_short');
    expect(await userCount(t, short)).toBe(0);

    const ok = uniqueEmail();
    const created = await post(t, REGISTER, { email: ok, password: remember('Kj8#mq2!Lp0z') });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({
      email: ok,
      role: 'user',
      status: 'active',
      emailVerified: false,
      mfaEnabled: false,
    });
    expect(await userCount(t, ok)).toBe(1);
  });

  it('when a password has 64 characters, then it is accepted; 129 are refused with auth.password_too_long', async () => {
    const long64 = remember(`${'Qx7-'.repeat(15)}zeta`);
    expect(long64).toHaveLength(64);
    expect((await post(t, REGISTER, { email: uniqueEmail(), password: long64 })).status).toBe(201);

    const email = uniqueEmail();
    const res = await post(t, REGISTER, { email, password: remember(`${'Qx7-'.repeat(32)}z`) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('auth.password_too_long');
    expect(await userCount(t, email)).toBe(0);
  });

  it('when the body is 1 MB, then it is refused by the size limit (413) before anything is hashed or stored', async () => {
    const email = uniqueEmail();
    const before = await counterValue(t, 'ums_auth_registrations_total');
    const started = Date.now();
    const res = await post(t, REGISTER, { email, password: 'x'.repeat(1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('request.too_large');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await userCount(t, email)).toBe(0);
    expect(await counterValue(t, 'ums_auth_registrations_total')).toBe(before);
  });

  it('when two passwords share their first 72 bytes, then only the registered one signs in (no truncation)', async () => {
    const prefix = `Shared-prefix-${'a1B2c3D4'.repeat(8)}`.slice(0, 72);
    expect(Buffer.byteLength(prefix)).toBe(72);
    const real = remember(`${prefix}-real-ending`);
    const other = remember(`${prefix}-fake-ending`);
    const email = uniqueEmail();
    expect((await registerVerified(t, email, real)).status).toBe(201);
    expect((await login(t, email, other)).status).toBe(401);
    expect((await login(t, email, real)).status).toBe(200);
  });

  it('when the password is emoji, spaces and CJK, then it is accepted and signs in', async () => {
    const password = remember('🔐 密码は長い 안녕하세요 ✨ 🦄');
    const email = uniqueEmail();
    expect((await registerVerified(t, email, password)).status).toBe(201);
    expect((await login(t, email, password)).status).toBe(200);
  });

  it('when a password is registered composed, then its decomposed form signs in too (NFKC), and the other way round', async () => {
    const composed = remember('Crème brûlée für Zoë 2024');
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const a = uniqueEmail();
    expect((await registerVerified(t, a, composed)).status).toBe(201);
    expect((await login(t, a, decomposed)).status).toBe(200);
    const b = uniqueEmail();
    expect((await registerVerified(t, b, decomposed)).status).toBe(201);
    expect((await login(t, b, composed)).status).toBe(200);
  });

  it('when the password is on the common-password blocklist (any case), then it is refused with auth.password_too_common', async () => {
    for (const password of ['qwerty123456', 'QWERTY123456', 'leavemealone']) {
      const email = uniqueEmail();
      const res = await post(t, REGISTER, { email, password });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('auth.password_too_common');
      expect(await userCount(t, email)).toBe(0);
    }
  });

  it('when the password contains the email local part, then it is refused with auth.password_contains_email', async () => {
    const email = uniqueEmail('marguerite');
    const local = email.split('@')[0] ?? '';
    const res = await post(t, REGISTER, {
      email,
      password: remember(`My-${local.toUpperCase()}-secret`),
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('auth.password_contains_email');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'password', code: 'auth.password_contains_email' }),
      ]),
    );
    expect(await userCount(t, email)).toBe(0);
  });

  it('when an account is created, then the stored hash is argon2id with m=19456, t=2, p=1 and no plaintext', async () => {
    const email = uniqueEmail();
    const password = remember(strongPassword());
    expect((await post(t, REGISTER, { email, password })).status).toBe(201);
    const { rows } = await t.container.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE email_normalized = $1',
      [email],
    );
    const [, algorithm, , params] = (rows[0]?.password_hash ?? '').split('$');
    expect(algorithm).toBe('argon2id');
    expect(Object.fromEntries((params ?? '').split(',').map((p) => p.split('=')))).toEqual({
      m: '19456',
      t: '2',
      p: '1',
    });
    expect(rows[0]?.password_hash).not.toContain(password);
  });

  it('when an email is registered in mixed case with spaces, then it is stored trimmed and lower-cased; a bad email is 400', async () => {
    const email = uniqueEmail();
    const res = await post(t, REGISTER, {
      email: `  ${email.toUpperCase()} `,
      password: remember(strongPassword()),
    });
    expect(res.status).toBe(201);
    expect(res.body.user.email).toBe(email);
    for (const bad of ['not-an-email', 'a@', '@example.com', `${'x'.repeat(250)}@example.com`]) {
      const refused = await post(t, REGISTER, { email: bad, password: strongPassword() });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('request.validation_failed');
    }
  });

  it('when role, status, emailVerified or a hash is in the body, then it is refused (strict body) and nothing is stored', async () => {
    for (const extra of [
      { role: 'super_admin' },
      { status: 'active' },
      { emailVerified: true },
      { passwordHash: 'x' },
      { mfaEnabled: true },
    ]) {
      const email = uniqueEmail();
      const res = await post(t, REGISTER, { email, password: strongPassword(), ...extra });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('request.validation_failed');
      expect(await userCount(t, email)).toBe(0);
    }
  });

  it('when an account is created, then user.registered is in the outbox with request id and address, and the counter moves', async () => {
    const before = await counterValue(t, 'ums_auth_registrations_total');
    const email = uniqueEmail();
    const res = await post(
      t,
      REGISTER,
      { email, password: remember(strongPassword()), firstName: ' Ada ', lastName: 'Lovelace' },
      { ip: '203.0.113.77' },
    );
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
    expect(JSON.stringify(res.body)).not.toMatch(/hash|argon/i);
    const events = await eventsOf(t, 'user.registered', res.body.user.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      ip: '203.0.113.77',
      requestId: res.headers['x-request-id'],
      data: { user: { email, role: 'user' }, source: 'registration' },
    });
    expect(await counterValue(t, 'ums_auth_registrations_total')).toBe(before + 1);
  });

  it('when an account is created, then a verification link from PUBLIC_BASE_URL arrives and only its hash is stored', async () => {
    const email = uniqueEmail();
    const res = await post(
      t,
      REGISTER,
      { email, password: remember(strongPassword()) },
      { headers: { Host: 'evil.example.net' } },
    );
    expect(res.status).toBe(201);
    const mail = await mailTo(t, email, /Confirm your email/);
    expect(mail.links.verifyEmail).toMatch(/^https:\/\/app\.example\.test\/verify-email#token=/);
    const token = tokenFromLink(mail.links.verifyEmail);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const { rows } = await t.container.db.query<{ token_hash: Buffer; ttl: number }>(
      `SELECT token_hash, extract(epoch FROM expires_at - created_at)::int AS ttl FROM one_time_tokens WHERE user_id = $1 AND purpose = 'verify_email'`,
      [res.body.user.id],
    );
    expect(rows).toHaveLength(1);
    expect(first(rows).token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(first(rows).ttl).toBe(3600);
  });

  it('when an email that already has an account registers again (any case), then the answer looks the same and the owner is told by mail', async () => {
    const email = uniqueEmail();
    const first = await post(t, REGISTER, { email, password: remember(strongPassword()) });
    const again = await post(t, REGISTER, {
      email: email.toUpperCase(),
      password: remember(strongPassword()),
    });
    const fresh = await post(t, REGISTER, {
      email: uniqueEmail(),
      password: remember(strongPassword()),
    });
    expect(again.status).toBe(201);
    expect(again.status).toBe(fresh.status);
    expect(Object.keys(again.body.user).sort()).toEqual(Object.keys(fresh.body.user).sort());
    expect(again.body.user).toMatchObject({ email, role: 'user', emailVerified: false });
    expect(again.body.user.id).not.toBe(first.body.user.id);
    expect(await userCount(t, email)).toBe(1);
    const notice = await mailTo(t, email, /already have an account/);
    expect(notice.links.forgotPassword).toBe('https://app.example.test/forgot-password');
    expect(
      (await readOutbox(t.config.MAIL_OUTBOX_DIR, email)).filter((m) => /Confirm/.test(m.subject)),
    ).toHaveLength(1);
  });

  it('when the suite has run, then no captured log line contains a password or an emailed token', async () => {
    const tokens = await allMailedTokens(t);
    expect(tokens.length).toBeGreaterThan(0);
    expect(t.logs.lines().length).toBeGreaterThan(0);
    expect(linesContaining(t, [...passwordsUsed, ...tokens])).toEqual([]);
  });
});

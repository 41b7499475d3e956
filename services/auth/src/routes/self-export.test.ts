import request from 'supertest';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import { behindProxy, flushMail, get, nextIp, post } from '../test/auth-test-support.ts';
import { enrol, signedInUser, type SignedInUser } from '../test/mfa-test-support.ts';

const PATH = '/api/v1/auth/me/export';

interface ExportBody {
  exportedAt: string;
  account: Record<string, unknown>;
  sessions: Record<string, unknown>[];
  mfa: { totpEnabled: boolean; recoveryCodesRemaining: number };
  oidcLinks: Record<string, unknown>[];
  auditEntries: { id: string; type: string; actorId: string | null; data: object }[];
}

/** Every encoding a bytea hash could take in JSON: hex (with and without \x), base64, base64url. */
const encodings = (bytes: Buffer) => [
  bytes.toString('hex'),
  bytes.toString('base64'),
  bytes.toString('base64url'),
];

describe('GET /api/v1/auth/me/export', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth(behindProxy);
  });
  afterAll(async () => t.close());

  // As an API client: the refresh tokens are compared with the export below.
  const login = (email: string, password: string) =>
    post(t, '/api/v1/auth/login', { email, password, refreshTokenDelivery: 'body' });
  const exportOf = (who: { accessToken: string }, ip = nextIp()) =>
    get(t, PATH, { token: who.accessToken, ip });

  /** A user with a sign-in history, an ended session, MFA, a linked provider and a pending mail link. */
  async function richUser(): Promise<{
    who: SignedInUser;
    secret: string;
    recoveryCodes: string[];
    refreshToken: string;
  }> {
    const who = await signedInUser(t);
    await login(who.user.email, 'not the password').expect(401);
    const second = await login(who.user.email, who.password).expect(200);
    await post(t, '/api/v1/auth/logout', undefined, { token: second.body.accessToken }).expect(204);
    const third = await login(who.user.email, who.password).expect(200);
    const { secret, recoveryCodes } = await enrol(t, who);
    await t.container.db.query(
      `UPDATE recovery_codes SET used_at = now()
       WHERE id = (SELECT id FROM recovery_codes WHERE user_id = $1 LIMIT 1)`,
      [who.user.id],
    );
    await t.container.db.query(
      `INSERT INTO oidc_identities (user_id, provider, subject, email) VALUES ($1, 'google', $2, $3)`,
      [who.user.id, `sub-${who.user.id}`, who.user.email],
    );
    await t.container.db.query('UPDATE users SET email_verified = false WHERE id = $1', [
      who.user.id,
    ]);
    await post(t, '/api/v1/auth/email/resend', undefined, { token: who.accessToken }).expect(202);
    await flushMail(t);
    return { who, secret, recoveryCodes, refreshToken: third.body.refreshToken as string };
  }

  it('when a signed-in user exports, then a JSON attachment holds their account, sessions, MFA, links and events', async () => {
    const { who, recoveryCodes } = await richUser();
    const stranger = await signedInUser(t);
    await login(stranger.user.email, 'not the password either').expect(401);

    const res = await exportOf(who).expect(200);
    const body = res.body as ExportBody;
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="ums-auth-export-${body.exportedAt.slice(0, 10)}.json"`,
    );
    expect(Date.now() - Date.parse(body.exportedAt)).toBeLessThan(60_000);

    expect(body.account).toMatchObject({
      id: who.user.id,
      email: who.user.email,
      role: 'user',
      status: 'active',
      emailVerified: false,
      mfaEnabled: true,
      hasPassword: true,
      firstName: null,
      lastName: null,
    });
    for (const field of ['createdAt', 'updatedAt', 'lastLoginAt', 'passwordChangedAt'])
      expect(typeof body.account[field]).toBe('string');

    const current = body.sessions.find((s) => s.id === who.sessionId);
    expect(current).toMatchObject({ current: true, active: true, endedAt: null, ip: '127.0.0.1' });
    expect(body.sessions.some((s) => s.endReason === 'logout' && s.active === false)).toBe(true);
    expect(body.sessions.length).toBeGreaterThanOrEqual(3);
    for (const s of body.sessions)
      expect(Object.keys(s).sort()).toEqual(
        [
          'active',
          'createdAt',
          'current',
          'device',
          'endReason',
          'endedAt',
          'expiresAt',
          'id',
          'ip',
          'lastUsedAt',
          'userAgent',
        ].sort(),
      );

    expect(body.mfa).toEqual({
      totpEnabled: true,
      recoveryCodesRemaining: recoveryCodes.length - 1,
    });
    expect(body.oidcLinks).toEqual([
      {
        provider: 'google',
        subject: `sub-${who.user.id}`,
        email: who.user.email,
        linkedAt: expect.any(String),
        lastLoginAt: null,
      },
    ]);

    const types = body.auditEntries.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'auth.data_exported',
        'user.mfa_enabled',
        'auth.login_failed',
        'auth.login_succeeded',
        'auth.logout',
      ]),
    );
    expect(types[0]).toBe('auth.data_exported'); // newest first, this export included
    for (const entry of body.auditEntries) expect(entry.data).not.toHaveProperty('user');
    expect(res.text).not.toContain(stranger.user.id);
    expect(res.text).not.toContain(stranger.user.email);

    const { rows } = await t.container.db.query<{ actor: string }>(
      "SELECT payload->>'actorId' AS actor FROM outbox WHERE type = 'auth.data_exported' AND aggregate_id = $1",
      [who.user.id],
    );
    expect(rows).toEqual([{ actor: who.user.id }]);
  });

  it('when the export is serialized, then no stored hash, sealed secret or key material appears in it', async () => {
    const { who, secret, recoveryCodes, refreshToken } = await richUser();
    // A pending (unconfirmed) TOTP secret is a secret too: give the account one.
    await t.container.db.query(
      'UPDATE users SET mfa_pending_secret_enc = mfa_secret_enc WHERE id = $1',
      [who.user.id],
    );
    const db = t.container.db;
    const user = (
      await db.query<{ password_hash: string; mfa_secret_enc: string; mfa_pending: string }>(
        'SELECT password_hash, mfa_secret_enc, mfa_pending_secret_enc AS mfa_pending FROM users WHERE id = $1',
        [who.user.id],
      )
    ).rows[0];
    const hashes = async (sql: string) =>
      (await db.query<{ h: Buffer }>(sql, [who.user.id])).rows.flatMap((r) => encodings(r.h));
    const recoveryHashes = await hashes(
      'SELECT code_hash AS h FROM recovery_codes WHERE user_id = $1',
    );
    const refreshHashes = await hashes(
      'SELECT token_hash AS h FROM refresh_tokens WHERE user_id = $1',
    );
    const mailHashes = await hashes(
      'SELECT token_hash AS h FROM one_time_tokens WHERE user_id = $1',
    );
    const keys = (
      await db.query<{ private_key_enc: string; n: string }>(
        "SELECT private_key_enc, public_jwk->>'n' AS n FROM signing_keys",
      )
    ).rows.flatMap((k) => [k.private_key_enc, k.n]);

    // The test means something only if every kind of secret is really there to leak.
    expect(user?.password_hash).toMatch(/^\$argon2id\$/);
    expect(user?.mfa_secret_enc.length).toBeGreaterThan(20);
    expect(user?.mfa_pending.length).toBeGreaterThan(20);
    expect(recoveryHashes.length).toBeGreaterThanOrEqual(3 * 10);
    expect(refreshHashes.length).toBeGreaterThanOrEqual(3 * 3);
    expect(mailHashes.length).toBeGreaterThanOrEqual(3);
    expect(keys.length).toBeGreaterThanOrEqual(2);

    const secrets = [
      who.password,
      user?.password_hash ?? '',
      user?.mfa_secret_enc ?? '',
      user?.mfa_pending ?? '',
      secret,
      ...recoveryCodes,
      ...recoveryCodes.map((c) => c.replace(/-/g, '')),
      ...recoveryHashes,
      ...refreshHashes,
      refreshToken,
      who.accessToken,
      ...mailHashes,
      ...keys,
    ];
    expect(secrets.every((s) => s.length >= 8)).toBe(true);

    const res = await exportOf(who).expect(200);
    const leaked = secrets.filter((s) => res.text.includes(s));
    expect(leaked).toEqual([]);
    expect(res.text).not.toMatch(
      /argon2|password_?hash|secret|code_?hash|token_?hash|private|refreshToken|accessToken/i,
    );
  });

  it('when a user exports more than 10 times in a minute, then 429 with Retry-After, and nobody else is slowed', async () => {
    const who = await signedInUser(t);
    // Different addresses: the budget is per user, not per address.
    for (let i = 0; i < 10; i++) await exportOf(who).expect(200);
    const refused = await exportOf(who).expect(429);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.code).toBe('auth.too_many_requests');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const { rows } = await t.container.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE type = 'auth.data_exported' AND aggregate_id = $1",
      [who.user.id],
    );
    expect(rows[0]?.n).toBe(10);

    const other = await signedInUser(t);
    await exportOf(other).expect(200);
  });

  it('when nobody is signed in or the token is forged, then 401 and nothing is exported', async () => {
    const anonymous = await request(t.app).get(PATH).expect(401);
    expect(anonymous.body.code).toBe('auth.invalid_token');
    expect(anonymous.headers['content-disposition']).toBeUndefined();
    const who = await signedInUser(t);
    await exportOf({ accessToken: `${who.accessToken}x` }).expect(401);
  });

  it('when the account was deleted after the token was issued, then 401', async () => {
    const who = await signedInUser(t);
    await t.container.db.query('DELETE FROM users WHERE id = $1', [who.user.id]);
    const res = await exportOf(who).expect(401);
    expect(res.body.code).toBe('auth.invalid_token');
  });
});

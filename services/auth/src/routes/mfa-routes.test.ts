import { onlyRow } from '../data/rows.ts';
import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import {
  allLogs,
  awayFromStepBoundary,
  enrol,
  eventsOf,
  signedInUser,
  totpAt,
  type SignedInUser,
} from '../test/mfa-test-support.ts';

const bearer = { type: 'bearer' } as const;

// Tests may wait up to ~5 s for a TOTP step boundary to pass (awayFromStepBoundary).
jest.setTimeout(30_000);

describe('MFA enrolment and management', () => {
  let t: TestAuth;
  const shown: string[] = [];
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  const post = (path: string, who: SignedInUser, body?: object) =>
    request(t.app).post(`/api/v1/auth/mfa${path}`).auth(who.accessToken, bearer).send(body);
  const status = async (who: SignedInUser) =>
    (await request(t.app).get('/api/v1/auth/mfa').auth(who.accessToken, bearer).expect(200)).body;
  const userRow = async (id: string) => {
    const { rows } = await t.container.db.query<{
      mfa_enabled: boolean;
      mfa_secret_enc: string | null;
      mfa_pending_secret_enc: string | null;
      failed_login_count: number;
    }>(
      'SELECT mfa_enabled, mfa_secret_enc, mfa_pending_secret_enc, failed_login_count FROM users WHERE id = $1',
      [id],
    );
    return onlyRow(rows);
  };
  const liveSessions = async (userId: string) =>
    (
      await t.container.db.query<{ family_id: string }>(
        'SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
        [userId],
      )
    ).rows.map((r) => r.family_id);
  const codeHashes = async (userId: string) =>
    (
      await t.container.db.query<{ code_hash: Buffer }>(
        'SELECT code_hash FROM recovery_codes WHERE user_id = $1',
        [userId],
      )
    ).rows.map((r) => r.code_hash);

  it('when an anonymous caller asks for MFA routes, then 401', async () => {
    await request(t.app).post('/api/v1/auth/mfa/totp/setup').expect(401);
    await request(t.app).get('/api/v1/auth/mfa').expect(401);
    await request(t.app)
      .post('/api/v1/auth/mfa/recovery-codes')
      .send({ password: 'x' })
      .expect(401);
  });

  it('when setup is called, then a secret and otpauth URL come back and only a sealed copy is stored', async () => {
    const who = await signedInUser(t);
    const res = await post('/totp/setup', who).expect(200);
    shown.push(res.body.secret);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(res.body.otpauthUrl);
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe(`/User Management:${who.user.email}`);
    expect(url.searchParams.get('secret')).toBe(res.body.secret);
    expect(url.searchParams.get('issuer')).toBe('User Management');
    const row = await userRow(who.user.id);
    expect(row.mfa_enabled).toBe(false);
    expect(row.mfa_pending_secret_enc).toBeTruthy();
    expect(row.mfa_pending_secret_enc).not.toContain(res.body.secret);
    expect(await status(who)).toEqual({
      enabled: false,
      required: false,
      recoveryCodesRemaining: 0,
    });
  });

  it('when enable is called before setup, then 409 auth.mfa_setup_required', async () => {
    const who = await signedInUser(t);
    const res = await post('/totp/enable', who, { code: '123456' }).expect(409);
    expect(res.body.code).toBe('auth.mfa_setup_required');
  });

  it('when enable gets a wrong, stale or malformed code, then 400 auth.invalid_mfa_code and MFA stays off', async () => {
    const who = await signedInUser(t);
    await awayFromStepBoundary();
    const { secret } = (await post('/totp/setup', who).expect(200)).body;
    shown.push(secret);
    const right = await totpAt(secret);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (const code of [wrong, await totpAt(secret, -60), 'abcdef', '']) {
      const res = await post('/totp/enable', who, { code }).expect(400);
      expect(res.body.code).toBe('auth.invalid_mfa_code');
    }
    expect((await userRow(who.user.id)).mfa_enabled).toBe(false);
    expect(await codeHashes(who.user.id)).toHaveLength(0);
  });

  it('when enable gets unknown fields (mass assignment), then 400 and nothing changes', async () => {
    const who = await signedInUser(t);
    const { secret } = (await post('/totp/setup', who).expect(200)).body;
    shown.push(secret);
    await post('/totp/enable', who, { code: await totpAt(secret), mfaEnabled: true }).expect(400);
    expect((await userRow(who.user.id)).mfa_enabled).toBe(false);
  });

  it('when enable gets a valid code, then MFA is on, 10 codes come back once, stored hashed, and other sessions end', async () => {
    const who = await signedInUser(t);
    const other = await t.container.sessions.issue(t.container.db, who.user, {
      ip: '127.0.0.2',
      userAgent: 'other',
    });
    await awayFromStepBoundary();
    const { secret } = (await post('/totp/setup', who).expect(200)).body;
    shown.push(secret);
    const res = await post('/totp/enable', who, { code: await totpAt(secret) }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.enabled).toBe(true);
    const codes: string[] = res.body.recoveryCodes;
    shown.push(...codes);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{2}$/);

    const row = await userRow(who.user.id);
    expect(row.mfa_enabled).toBe(true);
    expect(row.mfa_pending_secret_enc).toBeNull();
    expect(row.mfa_secret_enc).toBeTruthy();
    expect(row.mfa_secret_enc).not.toContain(secret);
    const hashes = await codeHashes(who.user.id);
    expect(hashes).toHaveLength(10);
    for (const code of codes) {
      const bare = code.replace(/-/g, '');
      for (const hash of hashes) {
        expect(hash.toString('latin1')).not.toContain(bare);
        expect(hash.equals(createHash('sha256').update(code).digest())).toBe(false);
        expect(hash.equals(createHash('sha256').update(bare).digest())).toBe(false);
      }
    }
    const dump = JSON.stringify(
      (await t.container.db.query('SELECT * FROM recovery_codes WHERE user_id = $1', [who.user.id]))
        .rows,
    );
    for (const code of codes) expect(dump).not.toContain(code.replace(/-/g, ''));

    expect(await liveSessions(who.user.id)).toEqual([who.sessionId]);
    expect(await liveSessions(who.user.id)).not.toContain(other.sessionId);
    const enabled = (await eventsOf(t, who.user.id)).find((e) => e.type === 'user.mfa_enabled');
    expect(enabled?.data).toMatchObject({ userId: who.user.id, sessionsRevoked: 1 });
    expect(await status(who)).toEqual({
      enabled: true,
      required: false,
      recoveryCodesRemaining: 10,
    });
  });

  it('when setup or enable is called after enrolment, then 409 and the secret is never shown again', async () => {
    const who = await signedInUser(t);
    const { secret } = await enrol(t, who);
    shown.push(secret);
    const again = await post('/totp/setup', who).expect(409);
    expect(again.body.code).toBe('auth.mfa_already_enabled');
    expect(JSON.stringify(again.body)).not.toContain(secret);
    await post('/totp/enable', who, { code: await totpAt(secret) }).expect(409);
    const res = await request(t.app)
      .get('/api/v1/auth/mfa')
      .auth(who.accessToken, bearer)
      .expect(200);
    expect(JSON.stringify(res.body)).not.toContain(secret);
  });

  it('when recovery codes are regenerated with a wrong password, then 403, the failure counts and the old set stays', async () => {
    const who = await signedInUser(t);
    const { secret, recoveryCodes } = await enrol(t, who);
    shown.push(secret, ...recoveryCodes);
    const before = await codeHashes(who.user.id);
    const res = await post('/recovery-codes', who, { password: `${who.password}x` }).expect(403);
    expect(res.body.code).toBe('auth.reauthentication_failed');
    expect((await userRow(who.user.id)).failed_login_count).toBe(1);
    expect(await codeHashes(who.user.id)).toEqual(before);
    await post('/recovery-codes', who, {}).expect(400);
  });

  it('when recovery codes are regenerated with the password, then a new set replaces the old one', async () => {
    const who = await signedInUser(t);
    const { secret, recoveryCodes: old } = await enrol(t, who);
    shown.push(secret, ...old);
    const res = await post('/recovery-codes', who, { password: who.password }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const fresh: string[] = res.body.recoveryCodes;
    shown.push(...fresh);
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => old.includes(c))).toEqual([]);
    expect(await codeHashes(who.user.id)).toHaveLength(10);
    expect((await eventsOf(t, who.user.id)).map((e) => e.type)).toContain(
      'user.mfa_recovery_codes_regenerated',
    );

    // The old set no longer signs in; the new one does.
    const mfaToken = await t.container.signer.signMfaToken(who.user.id);
    const refused = await request(t.app)
      .post('/api/v1/auth/login/mfa')
      .send({ mfaToken, code: old[0] })
      .expect(401);
    expect(refused.body.code).toBe('auth.invalid_mfa_code');
    await request(t.app)
      .post('/api/v1/auth/login/mfa')
      .send({ mfaToken, code: fresh[0] })
      .expect(200);
  });

  it('when recovery codes are regenerated without MFA, then 409 auth.mfa_not_enabled', async () => {
    const who = await signedInUser(t);
    const res = await post('/recovery-codes', who, { password: who.password }).expect(409);
    expect(res.body.code).toBe('auth.mfa_not_enabled');
  });

  it('when disable lacks the right password or a valid code, then 403 and MFA stays on', async () => {
    const who = await signedInUser(t);
    const { secret, recoveryCodes } = await enrol(t, who);
    shown.push(secret, ...recoveryCodes);
    const valid = await totpAt(secret);
    const attempts = [
      { password: `${who.password}x`, code: valid },
      { password: who.password, code: '000000' === (await totpAt(secret)) ? '111111' : '000000' },
      { password: who.password, code: 'zzzz-zzzz-zz' },
    ];
    for (const body of attempts) {
      const res = await post('/totp/disable', who, body).expect(403);
      expect(res.body.code).toBe('auth.reauthentication_failed');
    }
    await post('/totp/disable', who, { password: who.password }).expect(400);
    const row = await userRow(who.user.id);
    expect(row.mfa_enabled).toBe(true);
    expect(row.failed_login_count).toBe(3);
    // The wrong-password attempt must not have spent the valid code it carried.
    await post('/totp/disable', who, { password: who.password, code: valid }).expect(200);
  });

  it('when disable gets the password and a TOTP code, then MFA, secret and codes are gone and other sessions end', async () => {
    const who = await signedInUser(t);
    const { secret, recoveryCodes } = await enrol(t, who);
    shown.push(secret, ...recoveryCodes);
    const other = await t.container.sessions.issue(t.container.db, who.user, {
      ip: '127.0.0.2',
      userAgent: 'other',
    });
    const res = await post('/totp/disable', who, {
      password: who.password,
      code: await totpAt(secret),
    }).expect(200);
    expect(res.body).toEqual({ enabled: false });
    const row = await userRow(who.user.id);
    expect(row).toMatchObject({
      mfa_enabled: false,
      mfa_secret_enc: null,
      mfa_pending_secret_enc: null,
    });
    expect(await codeHashes(who.user.id)).toHaveLength(0);
    expect(await liveSessions(who.user.id)).toEqual([who.sessionId]);
    expect(await liveSessions(who.user.id)).not.toContain(other.sessionId);
    const disabled = (await eventsOf(t, who.user.id)).find((e) => e.type === 'user.mfa_disabled');
    expect(disabled?.data).toMatchObject({ factor: 'totp', sessionsRevoked: 1 });
    expect(await status(who)).toEqual({
      enabled: false,
      required: false,
      recoveryCodesRemaining: 0,
    });
  });

  it('when disable gets the password and a recovery code, then MFA is off', async () => {
    const who = await signedInUser(t);
    const { secret, recoveryCodes } = await enrol(t, who);
    shown.push(secret, ...recoveryCodes);
    await post('/totp/disable', who, { password: who.password, code: recoveryCodes[3] }).expect(
      200,
    );
    expect((await userRow(who.user.id)).mfa_enabled).toBe(false);
    const disabled = (await eventsOf(t, who.user.id)).find((e) => e.type === 'user.mfa_disabled');
    expect(disabled?.data).toMatchObject({ factor: 'recovery_code' });
  });

  it('when every test above has run, then no log line contains a TOTP secret or a recovery code', () => {
    const logs = allLogs(t);
    expect(shown.length).toBeGreaterThan(20);
    for (const value of shown) {
      expect(logs).not.toContain(value);
      expect(logs).not.toContain(value.replace(/-/g, ''));
    }
  });
});

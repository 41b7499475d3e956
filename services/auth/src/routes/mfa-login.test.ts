import { onlyRow } from '../data/rows.ts';
import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
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

// Tests may wait up to ~5 s for a TOTP step boundary to pass (awayFromStepBoundary).
jest.setTimeout(30_000);

describe('POST /api/v1/auth/login/mfa', () => {
  let t: TestAuth;
  const shown: string[] = [];
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  const loginMfa = (body: object) => request(t.app).post('/api/v1/auth/login/mfa').send(body);
  const mfaTokenOf = (who: SignedInUser) => t.container.signer.signMfaToken(who.user.id);
  const enrolled = async () => {
    const who = await signedInUser(t);
    const { secret, recoveryCodes } = await enrol(t, who);
    shown.push(secret, ...recoveryCodes);
    return { who, secret, recoveryCodes };
  };
  const lockState = async (id: string) => {
    const { rows } = await t.container.db.query<{
      failed_login_count: number;
      locked_until: Date | null;
      last_login_at: Date | null;
    }>('SELECT failed_login_count, locked_until, last_login_at FROM users WHERE id = $1', [id]);
    return onlyRow(rows);
  };
  const expectCode = (res: request.Response, status: number, code: string) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  };

  it('when the current TOTP code is given, then the sign-in completes with tokens, cookie and an event', async () => {
    const { who, secret } = await enrolled();
    await awayFromStepBoundary();
    const res = await loginMfa({
      mfaToken: await mfaTokenOf(who),
      code: await totpAt(secret),
    }).expect(200);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      user: { id: who.user.id, mfaEnabled: true },
    });
    expect(res.body.accessToken).toEqual(expect.any(String));
    // The web app's delivery: the refresh token only as the HttpOnly cookie.
    expect(res.body.refreshToken).toBeUndefined();
    expect(res.headers['set-cookie']?.[0]).toMatch(/ums_refresh=.*HttpOnly/);
    expect(res.body.user.lastLoginAt).not.toBeNull();
    // The new access token works.
    await request(t.app)
      .get('/api/v1/auth/mfa')
      .auth(res.body.accessToken, { type: 'bearer' })
      .expect(200);
    const succeeded = (await eventsOf(t, who.user.id)).find(
      (e) => e.type === 'auth.login_succeeded',
    );
    expect(succeeded?.data).toMatchObject({ method: 'mfa', factor: 'totp' });
  });

  it('when the password step answers mfaRequired, then its mfaToken and a code complete the sign-in', async () => {
    const { who, secret } = await enrolled();
    const step1 = await request(t.app)
      .post('/api/v1/auth/login')
      .send({ email: who.user.email, password: who.password })
      .expect(200);
    expect(step1.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
    await awayFromStepBoundary();
    const res = await loginMfa({
      mfaToken: step1.body.mfaToken,
      code: await totpAt(secret),
      refreshTokenDelivery: 'body',
    }).expect(200);
    expect(res.body.user.id).toBe(who.user.id);
    // An API client that asks gets the refresh token in the body, and no cookie.
    expect(res.body.refreshToken).toEqual(expect.any(String));
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('when a code is replayed in the same step, then the second use is refused', async () => {
    const { who, secret } = await enrolled();
    await awayFromStepBoundary();
    const code = await totpAt(secret);
    await loginMfa({ mfaToken: await mfaTokenOf(who), code }).expect(200);
    expectCode(
      await loginMfa({ mfaToken: await mfaTokenOf(who), code }),
      401,
      'auth.invalid_mfa_code',
    );
  });

  it('when two requests race with one code, then exactly one signs in', async () => {
    const { who, secret } = await enrolled();
    await awayFromStepBoundary();
    const code = await totpAt(secret);
    const [a, b] = await Promise.all([
      loginMfa({ mfaToken: await mfaTokenOf(who), code }),
      loginMfa({ mfaToken: await mfaTokenOf(who), code }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
  });

  it('when the previous step’s code is given, then it is accepted; a code two steps old is not', async () => {
    const { who, secret } = await enrolled();
    // As if enrolled long ago: no step used recently.
    await t.container.db.query('UPDATE users SET mfa_last_step = NULL WHERE id = $1', [
      who.user.id,
    ]);
    await awayFromStepBoundary();
    expectCode(
      await loginMfa({ mfaToken: await mfaTokenOf(who), code: await totpAt(secret, -60) }),
      401,
      'auth.invalid_mfa_code',
    );
    await loginMfa({ mfaToken: await mfaTokenOf(who), code: await totpAt(secret, -30) }).expect(
      200,
    );
  });

  it('when the next step’s code is given, then it is accepted; two steps ahead is not', async () => {
    const { who, secret } = await enrolled();
    await awayFromStepBoundary();
    expectCode(
      await loginMfa({ mfaToken: await mfaTokenOf(who), code: await totpAt(secret, 60) }),
      401,
      'auth.invalid_mfa_code',
    );
    await loginMfa({ mfaToken: await mfaTokenOf(who), code: await totpAt(secret, 30) }).expect(200);
    // A later step was used: the current step's code is now in the past and refused.
    expectCode(
      await loginMfa({ mfaToken: await mfaTokenOf(who), code: await totpAt(secret) }),
      401,
      'auth.invalid_mfa_code',
    );
  });

  it('when a recovery code is used, then it works once, in any case or spacing', async () => {
    const { who, recoveryCodes } = await enrolled();
    const [code = ''] = recoveryCodes;
    const typed = ` ${code.toUpperCase().replace(/-/g, ' ')} `;
    const res = await loginMfa({ mfaToken: await mfaTokenOf(who), code: typed }).expect(200);
    const status = await request(t.app)
      .get('/api/v1/auth/mfa')
      .auth(res.body.accessToken, { type: 'bearer' })
      .expect(200);
    expect(status.body.recoveryCodesRemaining).toBe(9);
    expectCode(
      await loginMfa({ mfaToken: await mfaTokenOf(who), code }),
      401,
      'auth.invalid_mfa_code',
    );
    const succeeded = (await eventsOf(t, who.user.id)).find(
      (e) => e.type === 'auth.login_succeeded',
    );
    expect(succeeded?.data).toMatchObject({
      method: 'mfa',
      factor: 'recovery_code',
      recoveryCodesRemaining: 9,
    });
  });

  it('when another user’s recovery code is given, then it is refused', async () => {
    const a = await enrolled();
    const b = await enrolled();
    expectCode(
      await loginMfa({ mfaToken: await mfaTokenOf(a.who), code: b.recoveryCodes[0] }),
      401,
      'auth.invalid_mfa_code',
    );
  });

  it('when an mfaToken has completed a sign-in, then it cannot be used again', async () => {
    const { who, secret, recoveryCodes } = await enrolled();
    const mfaToken = await mfaTokenOf(who);
    await awayFromStepBoundary();
    await loginMfa({ mfaToken, code: await totpAt(secret) }).expect(200);
    expectCode(await loginMfa({ mfaToken, code: recoveryCodes[1] }), 401, 'auth.invalid_mfa_token');
    // The refused attempt spent nothing: the recovery code still works with a fresh token.
    await loginMfa({ mfaToken: await mfaTokenOf(who), code: recoveryCodes[1] }).expect(200);
  });

  it('when the mfaToken is garbage, expired, an access token or for another audience, then 401 auth.invalid_mfa_token', async () => {
    const { who, recoveryCodes } = await enrolled();
    const key = await t.container.keys.currentSigner();
    const forged = (typ: string, audience: string, expiresAt: number) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ })
        .setSubject(who.user.id)
        .setIssuer(t.config.ISSUER)
        .setAudience(audience)
        .setIssuedAt(expiresAt - 300)
        .setExpirationTime(expiresAt)
        .setJti(randomUUID())
        .sign(key.privateKey);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const bad = [
      'garbage',
      `${await mfaTokenOf(who)}x`,
      await forged('mfa+jwt', `${t.config.AUDIENCE}:mfa`, nowSeconds - 10),
      await forged('at+jwt', `${t.config.AUDIENCE}:mfa`, nowSeconds + 300),
      await forged('mfa+jwt', t.config.AUDIENCE, nowSeconds + 300),
      who.accessToken,
    ];
    for (const mfaToken of bad)
      expectCode(
        await loginMfa({ mfaToken, code: recoveryCodes[0] }),
        401,
        'auth.invalid_mfa_token',
      );
    // None of them spent the code or counted as a failure.
    expect((await lockState(who.user.id)).failed_login_count).toBe(0);
    await loginMfa({
      mfaToken: await forged('mfa+jwt', `${t.config.AUDIENCE}:mfa`, nowSeconds + 300),
      code: recoveryCodes[0],
    }).expect(200);
  });

  it('when MFA was disabled after the password step, then the mfaToken is refused', async () => {
    const { who, recoveryCodes } = await enrolled();
    const mfaToken = await mfaTokenOf(who);
    await request(t.app)
      .post('/api/v1/auth/mfa/totp/disable')
      .auth(who.accessToken, { type: 'bearer' })
      .send({ password: who.password, code: recoveryCodes[0] })
      .expect(200);
    expectCode(await loginMfa({ mfaToken, code: recoveryCodes[1] }), 401, 'auth.invalid_mfa_token');
  });

  it('when the body is malformed, then 400 and nothing counts', async () => {
    const { who } = await enrolled();
    await loginMfa({ code: '123456' }).expect(400);
    await loginMfa({ mfaToken: await mfaTokenOf(who), code: '123456', userId: who.user.id }).expect(
      400,
    );
    await loginMfa({ mfaToken: await mfaTokenOf(who), code: 'x'.repeat(65) }).expect(400);
    expect((await lockState(who.user.id)).failed_login_count).toBe(0);
  });

  it('when wrong or missing codes reach LOCKOUT_THRESHOLD, then the account locks and even the right code is refused', async () => {
    const { who, secret } = await enrolled();
    const threshold = t.config.LOCKOUT_THRESHOLD;
    for (let i = 0; i < threshold; i += 1) {
      const body =
        i === 0
          ? { mfaToken: await mfaTokenOf(who) }
          : { mfaToken: await mfaTokenOf(who), code: i % 2 ? '000000x' : 'abcd-efgh-jk' };
      expectCode(await loginMfa(body), 401, 'auth.invalid_mfa_code');
      expect((await lockState(who.user.id)).failed_login_count).toBe(i + 1);
    }
    const state = await lockState(who.user.id);
    expect(state.locked_until?.getTime()).toBeGreaterThan(Date.now());
    await awayFromStepBoundary();
    const right = await totpAt(secret);
    expectCode(
      await loginMfa({ mfaToken: await mfaTokenOf(who), code: right }),
      401,
      'auth.invalid_mfa_code',
    );
    const types = (await eventsOf(t, who.user.id)).map((e) => e.type);
    expect(types.filter((type) => type === 'auth.login_failed')).toHaveLength(threshold + 1);
    expect(types).toContain('auth.locked');
    expect(types).not.toContain('auth.login_succeeded');
    // The refused right code was not spent: after an unlock it still works.
    await t.container.db.query(
      'UPDATE users SET locked_until = NULL, failed_login_count = 0 WHERE id = $1',
      [who.user.id],
    );
    await loginMfa({ mfaToken: await mfaTokenOf(who), code: right }).expect(200);
  });

  it('when a failed attempt is followed by a success, then the failure count resets', async () => {
    const { who, recoveryCodes } = await enrolled();
    await loginMfa({ mfaToken: await mfaTokenOf(who), code: '999999' }).expect(401);
    expect((await lockState(who.user.id)).failed_login_count).toBe(1);
    await loginMfa({ mfaToken: await mfaTokenOf(who), code: recoveryCodes[0] }).expect(200);
    expect((await lockState(who.user.id)).failed_login_count).toBe(0);
  });

  it('when every test above has run, then no log line contains a secret, a code or an mfaToken', async () => {
    const logs = allLogs(t);
    expect(shown.length).toBeGreaterThan(50);
    for (const value of shown) {
      expect(logs).not.toContain(value);
      expect(logs).not.toContain(value.replace(/-/g, ''));
    }
    expect(logs).not.toMatch(/"code":"\d{6}"/);
    expect(logs).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./);
  });
});

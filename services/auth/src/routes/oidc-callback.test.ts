import { createHash } from 'node:crypto';
import { sealWithState } from '../domain/oidc.ts';
import { uniqueSuffix } from '../test/harness.ts';
import {
  APP,
  STATE_COOKIE,
  REFRESH_COOKIE,
  callbackOf,
  cookieValue,
  createOidcTestBed,
  newAccount,
  newEmail,
  type OidcTestBed,
} from '../test/oidc-test-bed.ts';
import { followProvider, must } from '../test/oidc-test-support.ts';

let bed: OidcTestBed;
beforeAll(async () => {
  bed = await createOidcTestBed();
});
afterAll(async () => bed.close());

describe('OIDC callback refusals', () => {
  it('when the state is unknown, then 400 auth.oidc_invalid_state', async () => {
    const start = await bed.startSignIn();
    bed.real.signInAs(newAccount());
    const back = await followProvider(start.location.href, callbackOf('test'));
    back.searchParams.set('state', 'forged-state-value-forged-state-value-xxxxxx');
    const res = await bed
      .callback(back, `${STATE_COOKIE}=forged-state-value-forged-state-value-xxxxxx`)
      .expect(400);
    expect(res.body.code).toBe('auth.oidc_invalid_state');
  });

  it('when a browser comes back with a refused callback, then it is sent to the sign-in page with the code, not shown JSON', async () => {
    const start = await bed.startSignIn();
    bed.real.signInAs(newAccount());
    const back = await followProvider(start.location.href, callbackOf('test'));
    back.searchParams.delete('state');
    const res = await bed
      .callback(back, start.cookie)
      .set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')
      .expect(302);
    expect(res.headers.location).toBe(`${APP}/login?error=auth.oidc_invalid_state`);
    expect(String(res.headers['set-cookie'] ?? '')).not.toContain(REFRESH_COOKIE);
  });

  it('when the state is missing, then 400 auth.oidc_invalid_state', async () => {
    const start = await bed.startSignIn();
    bed.real.signInAs(newAccount());
    const back = await followProvider(start.location.href, callbackOf('test'));
    back.searchParams.delete('state');
    const res = await bed.callback(back, start.cookie).expect(400);
    expect(res.body.code).toBe('auth.oidc_invalid_state');
  });

  it('when the callback arrives in a browser that did not start the sign-in (no state cookie), then 400 and the state stays usable', async () => {
    const account = newAccount();
    const start = await bed.startSignIn();
    bed.real.signInAs(account);
    const back = await followProvider(start.location.href, callbackOf('test'));
    expect((await bed.callback(back).expect(400)).body.code).toBe('auth.oidc_invalid_state');
    expect(
      (await bed.callback(back, `${STATE_COOKIE}=${start.state}x`).expect(400)).body.code,
    ).toBe('auth.oidc_invalid_state');
    await bed.callback(back, start.cookie).expect(302);
  });

  it('when the state is older than ten minutes, then 400 auth.oidc_invalid_state', async () => {
    const start = await bed.startSignIn();
    bed.real.signInAs(newAccount());
    const back = await followProvider(start.location.href, callbackOf('test'));
    await bed.t.container.db.query(
      "UPDATE oidc_login_states SET expires_at = now() - interval '1 second' WHERE state_hash = $1",
      [createHash('sha256').update(start.state).digest()],
    );
    expect((await bed.callback(back, start.cookie).expect(400)).body.code).toBe(
      'auth.oidc_invalid_state',
    );
  });

  it('when the same callback is replayed, then the second is refused (state single use)', async () => {
    const { start, back, res } = await bed.signInAtRealProvider(newAccount());
    expect(res.status).toBe(302);
    const replay = await bed.callback(back, start.cookie).expect(400);
    expect(replay.body.code).toBe('auth.oidc_invalid_state');
  });

  it('when a used code is presented again with a fresh state, then the provider refuses it and so do we (401)', async () => {
    const account = newAccount();
    const first = await bed.signInAtRealProvider(account);
    expect(first.res.status).toBe(302);
    const fresh = await bed.startSignIn();
    const replay = new URL(callbackOf('test'));
    replay.searchParams.set('code', must(first.back.searchParams.get('code')));
    replay.searchParams.set('state', fresh.state);
    replay.searchParams.set('iss', bed.real.issuer);
    const res = await bed.callback(replay, fresh.cookie).expect(401);
    expect(res.body.code).toBe('auth.oidc_failed');
  });

  it('when the stored nonce does not match the ID token, then 401 and no session', async () => {
    const account = newAccount();
    const start = await bed.startSignIn();
    await bed.t.container.db.query(
      'UPDATE oidc_login_states SET nonce = $2 WHERE state_hash = $1',
      [
        createHash('sha256').update(start.state).digest(),
        sealWithState(start.state, 'a-different-nonce-than-the-provider-saw'),
      ],
    );
    bed.real.signInAs(account);
    const back = await followProvider(start.location.href, callbackOf('test'));
    const res = await bed.callback(back, start.cookie).expect(401);
    expect(res.body.code).toBe('auth.oidc_failed');
    expect(
      await bed.t.container.users.findByEmail(bed.t.container.db, must(account.email)),
    ).toBeUndefined();
  });

  it('when a second provider answers (mix-up: wrong issuer), then 401', async () => {
    const start = await bed.startSignIn();
    const atOther = new URL(start.location.href.replace(bed.real.issuer, bed.other.issuer));
    bed.other.signInAs(newAccount());
    const back = await followProvider(atOther.href, callbackOf('test'));
    expect(back.searchParams.get('iss')).toBe(bed.other.issuer);
    const res = await bed.callback(back, start.cookie).expect(401);
    expect(res.body.code).toBe('auth.oidc_failed');
  });

  it('when the iss parameter is stripped from a wrong provider response, then the code still fails at the right provider (401)', async () => {
    const start = await bed.startSignIn();
    bed.other.signInAs(newAccount());
    const back = await followProvider(
      start.location.href.replace(bed.real.issuer, bed.other.issuer),
      callbackOf('test'),
    );
    back.searchParams.delete('iss');
    expect((await bed.callback(back, start.cookie).expect(401)).body.code).toBe('auth.oidc_failed');
  });

  it('when the provider reports an error (access denied), then 401', async () => {
    const start = await bed.startSignIn();
    const url = new URL(callbackOf('test'));
    url.searchParams.set('error', 'access_denied');
    url.searchParams.set('state', start.state);
    url.searchParams.set('iss', bed.real.issuer);
    expect((await bed.callback(url, start.cookie).expect(401)).body.code).toBe('auth.oidc_failed');
  });
});

describe('OIDC ID token validation (crafted tokens)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claimsFor = (nonce: string, overrides: Record<string, unknown> = {}) => ({
    iss: bed.fake.issuer,
    aud: 'fake-client',
    sub: `fake-${uniqueSuffix()}`,
    nonce,
    iat: now(),
    exp: now() + 300,
    email: newEmail(),
    email_verified: true,
    ...overrides,
  });

  async function callbackWith(craft: (nonce: string) => Promise<string> | string) {
    const start = await bed.startSignIn('fake');
    bed.fake.respondWith(async () => craft(start.nonce));
    const url = new URL(callbackOf('fake'));
    url.searchParams.set('code', 'fake-code');
    url.searchParams.set('state', start.state);
    return bed.callback(url, start.cookie);
  }

  it('when the ID token is well formed and signed, then sign-in succeeds (the fake provider itself works)', async () => {
    const res = await callbackWith((nonce) => bed.fake.sign(claimsFor(nonce)));
    expect(res.status).toBe(302);
    expect(cookieValue(res, REFRESH_COOKIE)).toBeDefined();
  });

  it.each<[string, string, (nonce: string) => Promise<string> | string]>([
    ['unsigned (alg none)', 'JWT "alg"', (nonce) => bed.fake.unsigned(claimsFor(nonce))],
    [
      'signed with another key',
      'signature verification failed',
      (nonce) => bed.fake.sign(claimsFor(nonce), { otherKey: true }),
    ],
    [
      'for another audience',
      '"aud"',
      (nonce) => bed.fake.sign(claimsFor(nonce, { aud: 'someone-else' })),
    ],
    [
      'from another issuer',
      '"iss"',
      (nonce) => bed.fake.sign(claimsFor(nonce, { iss: 'https://evil.example.com' })),
    ],
    [
      'without sub',
      '"sub" (subject) claim missing',
      (nonce) => bed.fake.sign(claimsFor(nonce, { sub: undefined })),
    ],
    [
      'with a different nonce',
      'ID Token "nonce" claim value',
      () => bed.fake.sign(claimsFor('not-the-nonce-we-sent')),
    ],
    [
      'without a nonce',
      '"nonce" (nonce) claim missing',
      () => bed.fake.sign(claimsFor('x', { nonce: undefined })),
    ],
    [
      'expired',
      '"exp"',
      (nonce) => bed.fake.sign(claimsFor(nonce, { iat: now() - 3600, exp: now() - 1800 })),
    ],
    [
      'with a tampered payload',
      'signature verification failed',
      async (nonce) => {
        const [h, , s] = (await bed.fake.sign(claimsFor(nonce))).split('.');
        const forged = Buffer.from(
          JSON.stringify(claimsFor(nonce, { email: 'admin@usermanagement.local' })),
        ).toString('base64url');
        return `${h}.${forged}.${s}`;
      },
    ],
    ['not a JWT at all', 'Invalid JWT', () => 'garbage'],
  ])(
    'when the ID token is %s, then 401 auth.oidc_failed (%s) and no account or session',
    async (_label, reason, craft) => {
      const users = await bed.count('users');
      const sessions = await bed.count('refresh_tokens');
      const res = await callbackWith(craft);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('auth.oidc_failed');
      expect(await bed.count('users')).toBe(users);
      expect(await bed.count('refresh_tokens')).toBe(sessions);
      const refusals = bed.t.logs.records().filter((r) => r.msg === 'OIDC sign-in refused');
      expect(String(refusals.at(-1)?.reason)).toContain(reason);
    },
  );

  it('when all of this ran, then no log line carries a code, an ID token or a refresh token', () => {
    const logs = bed.t.logs.lines().join('\n');
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    expect(logs).not.toContain('mfaToken=');
    expect(logs).not.toContain('fake-code');
    expect(logs).not.toContain('fake-access-token');
  });
});

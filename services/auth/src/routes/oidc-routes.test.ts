import { createHash } from 'node:crypto';
import request from 'supertest';
import { enrol, signedInUser, totpAt } from '../test/mfa-test-support.ts';
import {
  APP,
  MFA_COOKIE,
  REFRESH_COOKIE,
  STATE_COOKIE,
  callbackOf,
  cookieValue,
  cookiesOf,
  createOidcTestBed,
  newAccount,
  newEmail,
  type OidcTestBed,
} from '../test/oidc-test-bed.ts';
import { must } from '../test/oidc-test-support.ts';

let bed: OidcTestBed;
beforeAll(async () => {
  bed = await createOidcTestBed();
});
afterAll(async () => bed.close());

async function localUser(email: string, emailVerified = true) {
  return bed.t.container.users.insert(bed.t.container.db, {
    email,
    passwordHash: null,
    role: 'user',
    emailVerified,
  });
}

describe('OIDC providers and authorization request', () => {
  it('when the providers are listed, then ids and names come back without secrets', async () => {
    const res = await request(bed.t.app).get('/api/v1/auth/oidc/providers').expect(200);
    expect(res.body).toEqual([
      { id: 'test', name: 'Test IdP' },
      { id: 'fake', name: 'Fake IdP' },
      { id: 'mismatch', name: 'Mismatch' },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });

  it('when a sign-in starts, then it redirects with PKCE S256, state, nonce and the exact redirect URI, and stores only the state hash', async () => {
    const { location, state, nonce, res } = await bed.startSignIn('test', '/welcome');
    expect(location.origin + location.pathname).toBe(`${bed.real.issuer}/auth`);
    const p = location.searchParams;
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('redirect_uri')).toBe(callbackOf('test'));
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(bed.real.clientId);
    expect(must(p.get('scope')).split(' ')).toEqual(expect.arrayContaining(['openid', 'email']));
    expect(state.length).toBeGreaterThanOrEqual(43);
    expect(nonce.length).toBeGreaterThanOrEqual(43);
    expect(res.headers['cache-control']).toBe('no-store');
    const stateCookie = must(cookiesOf(res).find((c) => c.startsWith(`${STATE_COOKIE}=`)));
    expect(stateCookie).toMatch(/HttpOnly/);
    expect(stateCookie).toMatch(/SameSite=Lax/);
    expect(stateCookie).toMatch(/Secure/);

    const { rows } = await bed.t.container.db.query(
      `SELECT provider, code_verifier, nonce, return_to, expires_at - created_at AS ttl FROM oidc_login_states WHERE state_hash = $1`,
      [createHash('sha256').update(state).digest()],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      provider: 'test',
      return_to: `${APP}/welcome`,
      ttl: { minutes: 10 },
    });
    expect(JSON.stringify(rows[0])).not.toContain(nonce);
    expect(JSON.stringify(rows[0])).not.toContain(state);
  });

  it('when the provider is unknown, then 404', async () => {
    const res = await request(bed.t.app).get('/api/v1/auth/oidc/nope/authorize').expect(404);
    expect(res.body.code).toBe('auth.oidc_unknown_provider');
  });

  it.each([
    'https://evil.example.com/',
    '//evil.example.com/x',
    '/\\evil.example.com',
    'https:evil.example.com',
    'javascript:alert(1)',
    'welcome',
    'https://admin.example.com.evil.com/',
    'https://user@app.example.com/',
    'https://docs.example.com/guidebook',
    'http://app.example.com/',
    '/ok#fragment',
  ])('when returnTo is %s, then 400 and nothing is stored', async (returnTo) => {
    const before = await bed.count('oidc_login_states');
    const res = await request(bed.t.app)
      .get('/api/v1/auth/oidc/test/authorize')
      .query({ returnTo })
      .expect(400);
    expect(res.body.code).toBe('auth.oidc_invalid_return_to');
    expect(await bed.count('oidc_login_states')).toBe(before);
  });

  it.each([
    '/profile?tab=1',
    `${APP}/x`,
    'https://admin.example.com/users',
    'https://docs.example.com/guide/oidc',
  ])('when returnTo is the allowed %s, then the sign-in starts', async (returnTo) => {
    await bed.startSignIn('test', returnTo);
  });

  it('when the discovery document names another issuer than configured, then 503 and nothing is stored', async () => {
    const before = await bed.count('oidc_login_states');
    const res = await request(bed.t.app).get('/api/v1/auth/oidc/mismatch/authorize').expect(503);
    expect(res.body.code).toBe('auth.oidc_provider_unavailable');
    expect(await bed.count('oidc_login_states')).toBe(before);
  });
});

describe('OIDC sign-in against a real provider', () => {
  it('when a new person signs in with a verified email, then an account is created, linked and signed in, and the web app can refresh', async () => {
    const account = newAccount();
    const { res } = await bed.signInAtRealProvider(account, '/welcome');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${APP}/welcome`);
    const refresh = cookieValue(res, REFRESH_COOKIE);
    expect(refresh).toBeDefined();

    const user = must(
      await bed.t.container.users.findByEmail(bed.t.container.db, must(account.email)),
    );
    expect(user).toMatchObject({
      role: 'user',
      emailVerified: true,
      passwordHash: null,
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    expect(
      await bed.count('oidc_identities WHERE user_id = $1 AND provider = $2 AND subject = $3', [
        user.id,
        'test',
        account.sub,
      ]),
    ).toBe(1);
    const { rows: events } = await bed.t.container.db.query<{
      type: string;
      payload: { data: Record<string, unknown> };
    }>('SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id', [user.id]);
    expect(events.map((e) => e.type)).toEqual(['user.registered', 'auth.login_succeeded']);
    expect(must(events[0]).payload.data).toMatchObject({ source: 'oidc', provider: 'test' });

    const refreshed = await request(bed.t.app)
      .post('/api/v1/auth/refresh')
      .set('Origin', APP)
      .set('Cookie', `${REFRESH_COOKIE}=${refresh}`)
      .send({})
      .expect(200);
    expect(refreshed.body.user.id).toBe(user.id);
  });

  it('when a linked person signs in again, then the same account is used and no account is created', async () => {
    const account = newAccount();
    await bed.signInAtRealProvider(account);
    const users = await bed.count('users');
    const { res } = await bed.signInAtRealProvider(account);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${APP}/`);
    expect(await bed.count('users')).toBe(users);
  });

  it('when the verified provider email matches a verified local account, then the identity is linked to it', async () => {
    const email = newEmail();
    const local = await localUser(email);
    const account = newAccount({ email: email.toUpperCase() });
    const { res } = await bed.signInAtRealProvider(account);
    expect(res.status).toBe(302);
    expect(
      await bed.count('oidc_identities WHERE user_id = $1 AND subject = $2', [
        local.id,
        account.sub,
      ]),
    ).toBe(1);
    expect(
      await bed.count("outbox WHERE aggregate_id = $1 AND type = 'user.identity_linked'", [
        local.id,
      ]),
    ).toBe(1);
    expect(await bed.count('refresh_tokens WHERE user_id = $1', [local.id])).toBe(1);
  });

  it('when the provider email is unverified, then it never takes over a local account (403) and nothing changes', async () => {
    const email = newEmail();
    const local = await localUser(email);
    const { res } = await bed.signInAtRealProvider(newAccount({ email, email_verified: false }));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('auth.oidc_email_unverified');
    expect(cookieValue(res, REFRESH_COOKIE)).toBeUndefined();
    expect(await bed.count('oidc_identities WHERE user_id = $1', [local.id])).toBe(0);
    expect(await bed.count('refresh_tokens WHERE user_id = $1', [local.id])).toBe(0);
  });

  it('when the provider email is unverified and no account has it, then no account is created (403)', async () => {
    const email = newEmail();
    const { res } = await bed.signInAtRealProvider(newAccount({ email, email_verified: false }));
    expect(res.status).toBe(403);
    expect(await bed.t.container.users.findByEmail(bed.t.container.db, email)).toBeUndefined();
  });

  it('when the local account with that email never verified it, then linking is refused (403)', async () => {
    const email = newEmail();
    const local = await localUser(email, false);
    const { res } = await bed.signInAtRealProvider(newAccount({ email }));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('auth.oidc_account_unverified');
    expect(await bed.count('oidc_identities WHERE user_id = $1', [local.id])).toBe(0);
  });

  it('when the linked account is suspended, then 403 and no session', async () => {
    const account = newAccount();
    await bed.signInAtRealProvider(account);
    await bed.t.container.db.query(
      "UPDATE users SET status = 'suspended' WHERE email_normalized = $1",
      [account.email],
    );
    const { res } = await bed.signInAtRealProvider(account);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('auth.oidc_account_disabled');
    expect(cookieValue(res, REFRESH_COOKIE)).toBeUndefined();
  });

  it('when the account has MFA, then no session is issued and the mfaToken (a cookie, never in the URL) completes sign-in at login/mfa', async () => {
    const who = await signedInUser(bed.t);
    const { secret } = await enrol(bed.t, who);
    const sessionsBefore = await bed.count('refresh_tokens WHERE user_id = $1', [who.user.id]);
    const { res } = await bed.signInAtRealProvider(newAccount({ email: who.user.email }), '/after');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${APP}/after#mfaRequired=true`);
    expect(cookieValue(res, REFRESH_COOKIE)).toBeUndefined();
    expect(await bed.count('refresh_tokens WHERE user_id = $1', [who.user.id])).toBe(
      sessionsBefore,
    );
    const mfaCookie = must(cookiesOf(res).find((c) => c.startsWith(`${MFA_COOKIE}=`)));
    expect(mfaCookie).toMatch(/SameSite=Strict/);
    expect(mfaCookie).toMatch(/Secure/);
    expect(mfaCookie).toMatch(/Max-Age=300/);
    const mfaToken = must(cookieValue(res, MFA_COOKIE));
    expect((await bed.t.container.signer.verifyMfaToken(mfaToken))?.userId).toBe(who.user.id);

    const done = await request(bed.t.app)
      .post('/api/v1/auth/login/mfa')
      .send({ mfaToken, code: await totpAt(secret) })
      .expect(200);
    expect(done.body.user.id).toBe(who.user.id);
  });

  it('when all of this ran, then no log line carries a JWT (access, ID or mfa token) or a refresh token', async () => {
    const logs = bed.t.logs.lines().join('\n');
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    expect(logs).not.toContain('mfaToken=');
    const { rows } = await bed.t.container.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM refresh_tokens',
    );
    expect(must(rows[0]).n).toBeGreaterThan(0);
    expect(logs).not.toMatch(/ums_refresh=[A-Za-z0-9_-]{20,}/);
  });
});

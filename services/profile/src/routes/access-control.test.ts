import { createHmac, createPublicKey, randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { createTestProfile, type TestProfile, type TestUser } from '../test/harness.ts';
import { TEST_AUDIENCE, TEST_ISSUER, startJwksServer } from '../test/jwks-server.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens (RS256 JWT from the auth service JWKS)', () => {
  let t: TestProfile;
  let user: TestUser;

  beforeAll(async () => {
    // Short cache and cooldown so rotation and retirement can be observed within the test.
    t = await createTestProfile({ JWKS_COOLDOWN_MS: '300', JWKS_CACHE_MAX_AGE_MS: '600' });
    user = await t.registerUser();
  });
  afterAll(async () => t?.close());

  const get = (token: string) =>
    request(t.app).get('/api/v1/users/me').set('Authorization', `Bearer ${token}`);

  const claims = () => ({
    sub: user.id,
    role: 'user',
    permissions: [],
    sid: randomUUID(),
    iss: TEST_ISSUER,
    aud: TEST_AUDIENCE,
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 600,
    jti: randomUUID(),
  });

  async function publicPem(): Promise<string> {
    const { keys } = (await (await fetch(t.jwks.url)).json()) as { keys: { kid: string }[] };
    const jwk = keys.find((k) => k.kid === t.jwks.currentKid());
    return createPublicKey({ key: jwk as never, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
  }

  it('when the token is valid, then the request is served', async () => {
    await get(await t.token({ sub: user.id })).expect(200);
  });

  it('when a token is refused or missing, then the 401 carries an RFC 6750 Bearer challenge', async () => {
    const [h, p] = (await t.token({ sub: user.id })).split('.');
    const refused = await get(`${h}.${p}.`).expect(401);
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="A valid access token is required."',
    );
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    const missing = await request(t.app).get('/api/v1/users/me').expect(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
  });

  it('when alg is none or the signature is stripped, then 401', async () => {
    const header = { alg: 'none', typ: 'at+jwt', kid: t.jwks.currentKid() };
    await get(`${b64(header)}.${b64(claims())}.`).expect(401);
    const [h, p] = (await t.token({ sub: user.id })).split('.');
    await get(`${h}.${p}.`).expect(401);
  });

  it('when the token is HS256-signed with the RSA public key as the secret, then 401', async () => {
    const header = { alg: 'HS256', typ: 'at+jwt', kid: t.jwks.currentKid() };
    const input = `${b64(header)}.${b64(claims())}`;
    const signature = createHmac('sha256', await publicPem())
      .update(input)
      .digest('base64url');
    await get(`${input}.${signature}`).expect(401);
  });

  it('when the token brings its own key (jwk, jku, x5u, x5c header), then 401', async () => {
    const attacker = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(attacker.publicKey);
    const evil = await startJwksServer();
    try {
      for (const extra of [
        { jwk },
        { jku: evil.url },
        { x5u: 'https://attacker.example/cert.pem' },
        { x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] },
      ]) {
        const token = await new SignJWT(claims())
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'attacker', ...extra } as never)
          .sign(attacker.privateKey);
        await get(token).expect(401);
      }
    } finally {
      await evil.close();
    }
  });

  it('when the kid is unknown or malicious, then 401', async () => {
    const attacker = await generateKeyPair('RS256');
    for (const kid of [randomUUID(), '../../../../etc/passwd', "' OR '1'='1", 'x'.repeat(5000)]) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
        .sign(attacker.privateKey);
      await get(token).expect(401);
    }
  });

  it('when the payload of a token that was just accepted is tampered with, then 401', async () => {
    const good = await t.token({ sub: user.id });
    await get(good).expect(200); // now in the verified-token cache
    const [h, , s] = good.split('.');
    await get(
      `${h}.${b64({ ...claims(), role: 'super_admin', permissions: ['users:read'] })}.${s}`,
    ).expect(401);
  });

  it.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 60 }],
    ['not yet valid (nbf)', { nbf: Math.floor(Date.now() / 1000) + 3600 }],
    ['without exp', { exp: undefined }],
    ['from another issuer', { iss: 'https://evil.example' }],
    ['for another audience', { aud: 'another-api' }],
    ['an mfaToken (its own audience)', { aud: `${TEST_AUDIENCE}:mfa` }],
    ['without jti', { jti: undefined }],
    ['with a sub that is not a user id', { sub: '../../etc' }],
    ['with permissions that are not a list', { permissions: 'users:read' }],
    ['without sid', { sid: undefined }],
  ])('when the token is %s, then 401', async (_name, overrides) => {
    await get(await t.token({ sub: user.id, claims: overrides })).expect(401);
  });

  it.each([
    ['mfa+jwt (an mfaToken)', { typ: 'mfa+jwt' }],
    ['JWT', { typ: 'JWT' }],
    ['missing', { typ: undefined }],
  ])('when typ is %s, then 401', async (_name, header) => {
    await get(await t.token({ sub: user.id, header })).expect(401);
  });

  it('when an opaque refresh token or garbage is presented, then 401', async () => {
    await get(randomBytes(32).toString('base64url')).expect(401);
    await get('a.b.c').expect(401);
    await request(t.app)
      .get('/api/v1/users/me')
      .set('Authorization', 'Basic dXNlcjpwYXNz')
      .expect(401);
  });

  it('when the token is in the query string, then 401 and the token is never logged', async () => {
    const token = await t.token({ sub: user.id });
    await request(t.app).get(`/api/v1/users/me?access_token=${token}`).expect(401);
    expect(t.logs.lines().join('\n')).not.toContain(token);
  });

  it('when keys rotate, then new-kid tokens are accepted after a refetch, old ones work in the overlap and fail once retired', async () => {
    const oldKid = t.jwks.currentKid();
    const oldToken = await t.token({ sub: user.id });
    await get(oldToken).expect(200);
    await sleep(350); // past the cooldown, so an unknown kid triggers a refetch
    const fetchesBefore = t.jwks.fetches();
    const newKid = await t.jwks.rotate();
    await get(await t.token({ sub: user.id, kid: newKid })).expect(200);
    expect(t.jwks.fetches()).toBeGreaterThan(fetchesBefore);
    await get(oldToken).expect(200); // overlap: the previous key is still published

    t.jwks.retire(oldKid);
    await sleep(700); // past the cache max age: the next request reloads the set
    await get(oldToken).expect(401);
    await get(await t.token({ sub: user.id, kid: newKid })).expect(200);
  });

  it('when the JWKS cannot be reached, then 503 (never 401 for a good token, never 500)', async () => {
    const down = await startJwksServer();
    const url = down.url;
    await down.close();
    const isolated = await createTestProfile({ AUTH_JWKS_URL: url, JWKS_TIMEOUT_MS: '1000' });
    try {
      const res = await request(isolated.app)
        .get('/api/v1/users/me')
        .set('Authorization', `Bearer ${await isolated.token({ sub: user.id })}`)
        .expect(503);
      expect(res.body.code).toBe('auth.keys_unavailable');
    } finally {
      await isolated.close();
    }
  });

  it('when an admin is suspended (status event), then their still-valid token no longer reaches admin routes', async () => {
    const admin = await t.registerUser({ role: 'admin' }, ['users:read']);
    await request(t.app).get('/api/v1/users').set(admin.auth).expect(200);
    await t.publish({
      type: 'user.status_changed',
      aggregateId: admin.id,
      data: { user: { ...admin.snapshot, status: 'suspended' }, from: 'active', to: 'suspended' },
    });
    await t.drain();
    await request(t.app).get('/api/v1/users').set(admin.auth).expect(403);
  });
});

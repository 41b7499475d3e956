import { createLocalJWKSet, jwtVerify } from 'jose';
import request from 'supertest';
import { createTestAuth, uniqueSuffix, type TestAuth } from '../test/harness.ts';
import { sessionRoutes } from './session-routes.ts';
import { wellKnownRoutes } from './well-known-routes.ts';

describe('/.well-known', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth({ ISSUER: 'https://id.example.test/' });
  });
  afterAll(async () => t.close());

  it('when the JWKS is fetched, then it lists only public RSA members and may be cached for about five minutes', async () => {
    const res = await request(t.app).get('/.well-known/jwks.json').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body.keys).toHaveLength(1);
    const [key] = res.body.keys;
    expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(key).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: (await t.container.keys.currentSigner()).kid,
    });
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
    expect(JSON.stringify(res.body)).not.toMatch(/PRIVATE|v1\./);
  });

  it('when an outside verifier uses the published JWKS, then our access tokens verify with it', async () => {
    const user = await t.container.users.insert(t.container.db, {
      email: `jwks-${uniqueSuffix()}@example.test`,
      passwordHash: null,
      role: 'user',
    });
    const pair = await t.container.sessions.issue(t.container.db, user, {
      ip: '127.0.0.1',
      userAgent: undefined,
    });
    const jwks = (await request(t.app).get('/.well-known/jwks.json').expect(200)).body;
    const { payload, protectedHeader } = await jwtVerify(
      pair.accessToken,
      createLocalJWKSet(jwks),
      {
        issuer: t.config.ISSUER,
        audience: t.config.AUDIENCE,
        algorithms: ['RS256'],
        typ: 'at+jwt',
      },
    );
    expect(payload.sub).toBe(user.id);
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
  });

  it('when the discovery document is fetched, then it advertises only the issuer and a JWKS that answers', async () => {
    const res = await request(t.app).get('/.well-known/openid-configuration').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    // No token_endpoint, ID-token algorithms, UserInfo or grant types: none of them exists here.
    expect(res.body).toEqual({
      issuer: 'https://id.example.test/',
      jwks_uri: 'https://id.example.test/.well-known/jwks.json',
    });
    // Every URL it advertises is served by this app.
    for (const value of Object.values(res.body as Record<string, string>)) {
      if (!value.includes('/.well-known/')) continue;
      await request(t.app).get(new URL(value).pathname).expect(200);
    }
  });

  it('when the keys cannot be read (database down), then 503 without details, not 500', async () => {
    const failing = {
      ...t.container.keys,
      jwks: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
    };
    const route = wellKnownRoutes({ ...t.container, keys: failing } as typeof t.container).find(
      (r) => r.path === '/.well-known/jwks.json',
    );
    if (!route) throw new Error('no JWKS route');
    await expect(
      route.handler({ res: { setHeader: () => undefined } } as never),
    ).rejects.toMatchObject({ status: 503, code: 'auth.keys_unavailable' });
  });

  it('when a method other than GET is used, then 405', async () => {
    await request(t.app).post('/.well-known/jwks.json').expect(405);
  });

  it('when the route table is built again, then each background task is still registered once', async () => {
    sessionRoutes(t.container);
    wellKnownRoutes(t.container);
    expect(t.container.background.filter((b) => b.name === 'signing-key-rotation')).toHaveLength(1);
    expect(t.container.background.filter((b) => b.name === 'active-sessions-gauge')).toHaveLength(
      1,
    );
  });
});

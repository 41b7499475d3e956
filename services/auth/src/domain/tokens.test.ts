import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { createTestAuth, type TestAuth } from '../test/harness.ts';

// Tokens are signed with node:crypto directly (RS256 = RSASSA-PKCS1-v1_5 with SHA-256); any
// standard verifier holding the JWKS must accept them exactly as it accepted jose's.
describe('token signing', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  async function publishedKey(kid: string) {
    const jwk = (await t.container.keys.jwks()).keys.find((k) => k.kid === kid);
    if (!jwk) throw new Error(`kid ${kid} is not published`);
    return importJWK(jwk, 'RS256');
  }

  it('when an access token is signed, then a standard verifier accepts it with our header and claims', async () => {
    const token = await t.container.signer.signAccessToken({
      userId: '3f2b8c1e-0000-4000-8000-000000000001',
      role: 'admin',
      permissions: ['users:read'],
      sessionId: '3f2b8c1e-0000-4000-8000-000000000002',
    });
    const header = decodeProtectedHeader(token);
    expect(header).toEqual({ alg: 'RS256', kid: expect.any(String), typ: 'at+jwt' });
    const { payload } = await jwtVerify(token, await publishedKey(String(header.kid)), {
      algorithms: ['RS256'],
      issuer: t.config.ISSUER,
      audience: t.config.AUDIENCE,
      typ: 'at+jwt',
      requiredClaims: ['sub', 'iat', 'exp', 'jti'],
    });
    expect(payload).toMatchObject({
      sub: '3f2b8c1e-0000-4000-8000-000000000001',
      role: 'admin',
      permissions: ['users:read'],
      sid: '3f2b8c1e-0000-4000-8000-000000000002',
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(t.config.ACCESS_TOKEN_TTL);
    expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('when a token is altered after signing, then it does not verify', async () => {
    const token = await t.container.signer.signAccessToken({
      userId: 'u',
      role: 'user',
      permissions: [],
      sessionId: 's',
    });
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const raised = Buffer.from(JSON.stringify({ ...claims, role: 'super_admin' })).toString(
      'base64url',
    );
    const key = await publishedKey(String(decodeProtectedHeader(token).kid));
    await expect(jwtVerify(`${h}.${raised}.${s}`, key)).rejects.toThrow();
  });

  it('when an mfaToken is signed, then it verifies as one and never as an access token', async () => {
    const token = await t.container.signer.signMfaToken('3f2b8c1e-0000-4000-8000-000000000003');
    expect(await t.container.signer.verifyMfaToken(token)).toEqual({
      userId: '3f2b8c1e-0000-4000-8000-000000000003',
      jti: expect.any(String),
    });
    const key = await publishedKey(String(decodeProtectedHeader(token).kid));
    await expect(
      jwtVerify(token, key, { audience: t.config.AUDIENCE, typ: 'at+jwt' }),
    ).rejects.toThrow();
  });
});

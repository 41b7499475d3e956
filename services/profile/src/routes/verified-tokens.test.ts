import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request } from 'express';
import { errors, generateKeyPair, SignJWT, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import { createAccessControl } from './access-control.ts';
import { TEST_AUDIENCE, TEST_ISSUER } from '../test/jwks-server.ts';

// The verified-token cache of createAccessControl, observed through how often a key is looked up:
// every lookup is a full RS256 verification, a cache hit needs none.
describe('verified-token cache', () => {
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  const kid = randomUUID();

  beforeAll(async () => {
    ({ privateKey, publicKey } = await generateKeyPair('RS256'));
  });

  function setup(options: { cacheMaxAgeMs?: number; verifiedCacheSize?: number } = {}) {
    let lookups = 0;
    const keys: JWTVerifyGetKey = async (header) => {
      lookups += 1;
      // As the remote JWKS reports a kid it does not publish (after its refetch).
      if (header.kid !== kid) throw new errors.JWKSNoMatchingKey();
      return publicKey;
    };
    const access = createAccessControl({
      jwksUrl: 'http://127.0.0.1:9/jwks.json',
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      trustedProxies: [],
      cooldownMs: 30_000,
      cacheMaxAgeMs: options.cacheMaxAgeMs ?? 600_000,
      timeoutMs: 1_000,
      accountStatusOf: async () => 'active',
      // No session has ended here: the cache's behaviour alone is under test.
      revocations: { assertLive: () => undefined },
      keys,
      verifiedCacheSize: options.verifiedCacheSize,
    });
    const authenticate = (token: string) =>
      access.authenticate({
        get: (name: string) =>
          name.toLowerCase() === 'authorization' ? `Bearer ${token}` : undefined,
      } as unknown as Request);
    return { authenticate, lookups: () => lookups };
  }

  async function sign(expiresInSeconds: number, claims: Record<string, unknown> = {}) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      sub: 'user-1',
      role: 'user',
      permissions: [],
      sid: randomUUID(),
      jti: randomUUID(),
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + expiresInSeconds)
      .sign(privateKey);
  }

  it('when a verified token comes again, then it is accepted without another verification', async () => {
    const { authenticate, lookups } = setup();
    const token = await sign(600);
    const first = await authenticate(token);
    expect(await authenticate(token)).toEqual(first);
    expect(lookups()).toBe(1);
  });

  it('when a cached token has expired, then the cache no longer answers for it', async () => {
    const { authenticate, lookups } = setup();
    const token = await sign(1);
    await authenticate(token);
    await sleep(2_100);
    // Verified again (jose's 5 s clock tolerance may still accept it): never from the cache.
    await authenticate(token).catch(() => undefined);
    expect(lookups()).toBe(2);
  });

  it('when the key-set cache age has passed, then the token is verified again (a retired key is noticed)', async () => {
    const { authenticate, lookups } = setup({ cacheMaxAgeMs: 100 });
    const token = await sign(600);
    await authenticate(token);
    await sleep(150);
    await authenticate(token);
    expect(lookups()).toBe(2);
  });

  it('when a cached token is tampered with (payload or signature), then 401', async () => {
    const { authenticate } = setup();
    const token = await sign(600);
    await authenticate(token);
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, role: 'super_admin' })).toString(
      'base64url',
    );
    await expect(authenticate(`${h}.${forged}.${s}`)).rejects.toMatchObject({ status: 401 });
    const flipped = `${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(authenticate(`${h}.${p}.${flipped}`)).rejects.toMatchObject({ status: 401 });
  });

  it('when a token names an unknown key, then 401 every time (failures are not cached as successes)', async () => {
    const { authenticate, lookups } = setup();
    const other = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: 'user-1', role: 'user', permissions: [], sid: 's' })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: randomUUID() })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .setJti(randomUUID())
      .sign(other.privateKey);
    await expect(authenticate(token)).rejects.toMatchObject({ status: 401 });
    await expect(authenticate(token)).rejects.toMatchObject({ status: 401 });
    expect(lookups()).toBe(2);
  });

  it('when more tokens arrive than the cache holds, then the oldest is verified again', async () => {
    const { authenticate, lookups } = setup({ verifiedCacheSize: 2 });
    const [a, b, c] = await Promise.all([sign(600), sign(600), sign(600)]);
    for (const token of [a, b, c]) await authenticate(token);
    expect(lookups()).toBe(3);
    await authenticate(c);
    expect(lookups()).toBe(3);
    await authenticate(a);
    expect(lookups()).toBe(4);
  });
});

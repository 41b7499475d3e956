import { randomUUID } from 'node:crypto';
import {
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importPKCS8,
  SignJWT,
  type CryptoKey,
  type JWTHeaderParameters,
} from 'jose';
import request from 'supertest';
import { createSealer } from '../domain/crypto.ts';
import { createTestAuth, uniqueSuffix, type TestAuth } from '../test/harness.ts';

// A protected route of this feature: any route behind `authenticated` goes through the same check.
const PROTECTED = '/api/v1/auth/sessions';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

interface Fixture {
  t: TestAuth;
  userId: string;
  sessionId: string;
  refreshToken: string;
  kid: string;
  ourKey: CryptoKey;
  /** Our private key imported for RS512: same key material, an algorithm we never accept. */
  ourKeyAsRs512: CryptoKey;
  ourPem: string;
  attacker: { privateKey: CryptoKey; publicKey: CryptoKey };
}

function claimsFor(f: Fixture): Record<string, unknown> {
  return {
    sub: f.userId,
    role: 'user',
    permissions: [],
    sid: f.sessionId,
    iss: f.t.config.ISSUER,
    aud: f.t.config.AUDIENCE,
    iat: now(),
    exp: now() + 600,
    jti: randomUUID(),
  };
}

const headerFor = (f: Fixture): JWTHeaderParameters => ({
  alg: 'RS256',
  kid: f.kid,
  typ: 'at+jwt',
});

async function sign(
  key: CryptoKey | Uint8Array,
  header: JWTHeaderParameters,
  claims: Record<string, unknown>,
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

/** Our key, our header, our claims, with one thing changed. */
function ours(change: {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  drop?: string[];
}) {
  return async (f: Fixture) => {
    const claims = Object.fromEntries(
      Object.entries({ ...claimsFor(f), ...change.claims }).filter(
        ([name]) => !change.drop?.includes(name),
      ),
    );
    return sign(f.ourKey, { ...headerFor(f), ...change.header } as JWTHeaderParameters, claims);
  };
}

const forgeries: [string, (f: Fixture) => Promise<string>][] = [
  [
    'alg none with an empty signature',
    async (f) => `${b64({ ...headerFor(f), alg: 'none' })}.${b64(claimsFor(f))}.`,
  ],
  [
    'alg none without a signature segment',
    async (f) => `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claimsFor(f))}`,
  ],
  [
    'HS256 keyed with our RSA public key (PEM)',
    async (f) =>
      sign(new TextEncoder().encode(f.ourPem), { ...headerFor(f), alg: 'HS256' }, claimsFor(f)),
  ],
  [
    'RS512 signed with our own key',
    async (f) => sign(f.ourKeyAsRs512, { ...headerFor(f), alg: 'RS512' }, claimsFor(f)),
  ],
  [
    'a foreign key with our kid',
    async (f) => sign(f.attacker.privateKey, headerFor(f), claimsFor(f)),
  ],
  [
    'a foreign key supplied in the jwk header',
    async (f) =>
      sign(
        f.attacker.privateKey,
        { alg: 'RS256', typ: 'at+jwt', jwk: await exportJWK(f.attacker.publicKey) },
        claimsFor(f),
      ),
  ],
  [
    'a jku header pointing elsewhere',
    async (f) =>
      sign(
        f.attacker.privateKey,
        { alg: 'RS256', typ: 'at+jwt', kid: 'evil', jku: 'https://evil.example/jwks.json' },
        claimsFor(f),
      ),
  ],
  [
    'an x5u header pointing elsewhere',
    async (f) =>
      sign(
        f.attacker.privateKey,
        { alg: 'RS256', typ: 'at+jwt', kid: 'evil', x5u: 'https://evil.example/cert.pem' },
        claimsFor(f),
      ),
  ],
  [
    'our own signature but a jwk header anyway',
    async (f) =>
      sign(f.ourKey, { ...headerFor(f), jwk: await exportJWK(f.attacker.publicKey) }, claimsFor(f)),
  ],
  ['an unknown kid', ours({ header: { kid: randomUUID() } })],
  ['no kid', ours({ header: { kid: undefined } })],
  ['a path-traversal kid', ours({ header: { kid: '../../../../etc/passwd' } })],
  ['an SQL-ish kid', ours({ header: { kid: "' OR '1'='1' --" } })],
  ['a 10,000-character kid', ours({ header: { kid: 'k'.repeat(10_000) } })],
  ['a non-string kid', ours({ header: { kid: { $ne: null } } })],
  [
    'a tampered payload (role and permissions raised)',
    async (f) => {
      const [h, , s] = (await ours({})(f)).split('.');
      return `${h}.${b64({ ...claimsFor(f), role: 'super_admin', permissions: ['users:write', 'roles:manage'] })}.${s}`;
    },
  ],
  ['a stripped signature', async (f) => (await ours({})(f)).replace(/\.[^.]+$/, '.')],
  [
    'a signature of another token',
    async (f) =>
      `${(await ours({ claims: { role: 'admin' } })(f)).split('.').slice(0, 2).join('.')}.${(await ours({})(f)).split('.')[2]}`,
  ],
  ['an expired token', ours({ claims: { iat: now() - 3600, exp: now() - 60 } })],
  ['nbf in the future', ours({ claims: { nbf: now() + 600 } })],
  ['no exp', ours({ drop: ['exp'] })],
  ['a wrong iss', ours({ claims: { iss: 'https://evil.example' } })],
  ['a wrong aud', ours({ claims: { aud: 'some-other-api' } })],
  ['typ JWT instead of at+jwt', ours({ header: { typ: 'JWT' } })],
  ['no typ', ours({ header: { typ: undefined } })],
  ['no sid', ours({ drop: ['sid'] })],
  ['a refresh token', async (f) => f.refreshToken],
  ['an mfaToken', async (f) => f.t.container.signer.signMfaToken(f.userId)],
  ['garbage', async () => 'not-a-jwt'],
  ['a token with non-JSON segments', async () => `${b64('{"alg":')}.${b64('[')}.xyz`],
];

describe('access-token verification on a protected route', () => {
  const f = {} as Fixture;
  const presented: string[] = [];

  beforeAll(async () => {
    f.t = await createTestAuth();
    const user = await f.t.container.users.insert(f.t.container.db, {
      email: `at-${uniqueSuffix()}@example.test`,
      passwordHash: null,
      role: 'user',
    });
    const pair = await f.t.container.sessions.issue(f.t.container.db, user, {
      ip: '127.0.0.1',
      userAgent: 'jest',
    });
    const signer = await f.t.container.keys.currentSigner();
    const { rows } = await f.t.container.db.query<{ private_key_enc: string }>(
      'SELECT private_key_enc FROM signing_keys WHERE kid = $1',
      [signer.kid],
    );
    const privatePem = createSealer(f.t.config.TOKEN_KEK, 'signing-keys').open(
      rows[0]?.private_key_enc ?? '',
    );
    Object.assign(f, {
      userId: user.id,
      sessionId: pair.sessionId,
      refreshToken: pair.refreshToken,
      kid: signer.kid,
      ourKey: signer.privateKey,
      ourKeyAsRs512: await importPKCS8(privatePem, 'RS512'),
      ourPem: (await f.t.container.keys.findPublicKey(signer.kid))?.spkiPem,
      attacker: await generateKeyPair('RS256', { extractable: true }),
    });
  });
  afterAll(async () => f.t.close());

  it('when a token is built exactly like ours (the positive control), then the route answers 200', async () => {
    const token = await ours({})(f);
    presented.push(token);
    await request(f.t.app).get(PROTECTED).auth(token, { type: 'bearer' }).expect(200);
  });

  it.each(forgeries)(
    'when the bearer token is %s, then 401 auth.invalid_token, never 500',
    async (_label, build) => {
      const token = await build(f);
      presented.push(token);
      const res = await request(f.t.app).get(PROTECTED).set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('auth.invalid_token');
      expect(res.headers['www-authenticate']).toBe(
        'Bearer error="invalid_token", error_description="A valid access token is required."',
      );
    },
  );

  it('when no Authorization header is sent, then 401 with a bare Bearer challenge (RFC 6750 3.1)', async () => {
    const res = await request(f.t.app).get(PROTECTED).expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('when a valid token comes in the query string instead of the header, then 401 and the token is never logged', async () => {
    const token = await ours({})(f);
    presented.push(token);
    await request(f.t.app).get(`${PROTECTED}?access_token=${token}`).expect(401);
    await request(f.t.app).get(PROTECTED).query({ token }).expect(401);
  });

  it('when the token is sent with another scheme than Bearer, then 401', async () => {
    const token = await ours({})(f);
    presented.push(token);
    await request(f.t.app).get(PROTECTED).set('Authorization', `Basic ${token}`).expect(401);
    await request(f.t.app).get(PROTECTED).set('Cookie', `access_token=${token}`).expect(401);
  });

  it('when all of the above ran, then no log line contains any token presented', () => {
    const logs = f.t.logs.lines().join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const token of presented) expect(logs).not.toContain(token);
    expect(logs).not.toContain(f.refreshToken);
  });
});

describe('access tokens across a signing-key rotation', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  it('when the key that signed a token is retired, then the token verifies during the overlap and fails once the key expires', async () => {
    const user = await t.container.users.insert(t.container.db, {
      email: `rot-${uniqueSuffix()}@example.test`,
      passwordHash: null,
      role: 'user',
    });
    const before = await t.container.sessions.issue(t.container.db, user, {
      ip: '127.0.0.1',
      userAgent: 'jest',
    });
    const oldKid = (await t.container.keys.currentSigner()).kid;

    const newKid = await t.container.keys.rotate();
    expect(newKid).not.toBe(oldKid);
    const after = await t.container.sessions.issue(t.container.db, user, {
      ip: '127.0.0.1',
      userAgent: 'jest',
    });
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(newKid);

    // Overlap: the retired key is still published and still verifies what it signed.
    await request(t.app).get(PROTECTED).auth(before.accessToken, { type: 'bearer' }).expect(200);
    const jwks = await request(t.app).get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid).sort()).toEqual(
      [oldKid, newKid].sort(),
    );

    // The key's publication ends in a moment; verifiers' caches must not stretch it.
    await t.container.db.query(
      "UPDATE signing_keys SET expires_at = now() + interval '1 second' WHERE kid = $1",
      [oldKid],
    );
    await t.container.keys.publicKeys(0);
    await request(t.app).get(PROTECTED).auth(before.accessToken, { type: 'bearer' }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await request(t.app).get(PROTECTED).auth(before.accessToken, { type: 'bearer' }).expect(401);
    await request(t.app).get(PROTECTED).auth(after.accessToken, { type: 'bearer' }).expect(200);
    const later = await request(t.app).get('/.well-known/jwks.json').expect(200);
    expect(later.body.keys.map((k: { kid: string }) => k.kid)).toEqual([newKid]);
  });
});

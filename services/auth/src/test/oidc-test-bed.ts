// The shared set-up of the OIDC route tests: a real provider (oidc-provider), a second one for
// mix-up attacks, the hand-written fake, and an auth service configured for all of them.
import request from 'supertest';
import { createTestAuth, uniqueSuffix, type TestAuth } from './harness.ts';
import {
  followProvider,
  must,
  startFakeProvider,
  startRealProvider,
  type FakeProvider,
  type RealProvider,
  type TestAccount,
} from './oidc-test-support.ts';

export const ISSUER = 'http://localhost:8000';
export const APP = 'https://app.example.com';
export const callbackOf = (provider: string) => `${ISSUER}/api/v1/auth/oidc/${provider}/callback`;
export const STATE_COOKIE = '__Host-ums_oidc_state';
export const REFRESH_COOKIE = '__Host-ums_refresh';
export const MFA_COOKIE = '__Host-ums_oidc_mfa';

export const cookiesOf = (res: request.Response): string[] => {
  const header = res.headers['set-cookie'] as unknown;
  return Array.isArray(header) ? (header as string[]) : [];
};

export const cookieValue = (res: request.Response, name: string) =>
  cookiesOf(res)
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';', 1)[0]
    ?.slice(name.length + 1);

export const newEmail = () => `oidc-${uniqueSuffix()}@example.com`;

export const newAccount = (overrides: Partial<TestAccount> = {}): TestAccount => ({
  sub: `sub-${uniqueSuffix()}`,
  email: newEmail(),
  email_verified: true,
  given_name: 'Ada',
  family_name: 'Lovelace',
  ...overrides,
});

export async function createOidcTestBed() {
  const real = await startRealProvider([callbackOf('test')]);
  // A second, independent provider that knows the same client: the "wrong issuer" of a mix-up.
  const other = await startRealProvider([callbackOf('test')]);
  const fake = await startFakeProvider();
  const t: TestAuth = await createTestAuth({
    ISSUER,
    PUBLIC_BASE_URL: APP,
    RETURN_TO_ALLOWLIST: 'https://admin.example.com,https://docs.example.com/guide',
    OIDC_PROVIDERS: JSON.stringify([
      {
        id: 'test',
        name: 'Test IdP',
        issuer: real.issuer,
        clientId: real.clientId,
        clientSecret: real.clientSecret,
      },
      {
        id: 'fake',
        name: 'Fake IdP',
        issuer: fake.issuer,
        clientId: 'fake-client',
        clientSecret: 'fake-client-secret',
      },
      {
        id: 'mismatch',
        name: 'Mismatch',
        issuer: `${fake.issuer}/mismatch`,
        clientId: 'x',
        clientSecret: 'fake-client-secret',
      },
    ]),
  });

  /** Our authorize step: the provider URL, its state and nonce, and this browser's state cookie. */
  async function startSignIn(provider = 'test', returnTo?: string) {
    const res = await request(t.app)
      .get(`/api/v1/auth/oidc/${provider}/authorize`)
      .query(returnTo === undefined ? {} : { returnTo })
      .expect(302);
    const location = new URL(res.headers.location as string);
    const state = must(location.searchParams.get('state'));
    const nonce = must(location.searchParams.get('nonce'));
    return { res, location, state, nonce, cookie: `${STATE_COOKIE}=${state}` };
  }

  function callback(url: URL | string, cookie?: string) {
    const target = typeof url === 'string' ? new URL(url, ISSUER) : url;
    const req = request(t.app).get(target.pathname + target.search);
    return cookie ? req.set('Cookie', cookie) : req;
  }

  /** The whole dance: authorize, sign in at the real provider as `account`, come back. */
  async function signInAtRealProvider(account: TestAccount, returnTo?: string) {
    const start = await startSignIn('test', returnTo);
    real.signInAs(account);
    const back = await followProvider(start.location.href, callbackOf('test'));
    return { start, back, res: await callback(back, start.cookie) };
  }

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await t.container.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${sql}`,
      params,
    );
    return must(rows[0]).n;
  }

  return {
    t,
    real,
    other,
    fake: fake as FakeProvider,
    startSignIn,
    callback,
    signInAtRealProvider,
    count,
    async close() {
      await t.close();
      await Promise.all([real.close(), other.close(), fake.close()]);
    },
  };
}

export type OidcTestBed = Awaited<ReturnType<typeof createOidcTestBed>>;
export type { RealProvider };

// Test-only OpenID providers for the OIDC sign-in tests: a real one (oidc-provider) and a tiny
// hand-written one whose token endpoint returns whatever ID token the test crafted.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, base64url, exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
}

/** The value, or a thrown error naming what was missing (tests read optional things a lot). */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}`);
  return value;
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function signingKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateKey, publicJwk, privateJwk };
}

export interface RealProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account that "logs in" at the provider's next interaction. */
  signInAs(account: TestAccount): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (oidc-provider) on a random loopback port. Its login interaction signs
 * in whoever `signInAs` named, and consent is pre-granted (a first-party client), so a test can
 * drive the whole redirect dance with plain fetch and a cookie jar.
 */
export async function startRealProvider(redirectUris: string[]): Promise<RealProvider> {
  const server = createServer();
  const issuer = await listen(server);
  const clientId = 'ums-test-client';
  const clientSecret = 'test-client-secret-0123456789abcdef';
  const accounts = new Map<string, TestAccount>();
  let next: TestAccount | undefined;
  const { privateJwk } = await signingKey('real-provider-key');

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [privateJwk] },
    cookies: { keys: ['oidc-provider-test-cookie-key-0123456789'] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['given_name', 'family_name'],
    },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account && { accountId: sub, claims: () => ({ ...account }) };
    },
    features: { devInteractions: { enabled: false } },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async loadExistingGrant(ctx) {
      const grantId =
        ctx.oidc.result?.consent?.grantId ??
        must(ctx.oidc.session).grantIdFor(must(ctx.oidc.client).clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: must(ctx.oidc.client).clientId,
        accountId: must(ctx.oidc.session?.accountId),
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return void handle(req, res);
    void (async () => {
      await provider.interactionDetails(req, res);
      if (!next) throw new Error('signInAs() was not called');
      accounts.set(next.sub, next);
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: next.sub } },
        { mergeWithLastSubmission: false },
      );
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs: (account) => {
      next = account;
    },
    close: () => close(server),
  };
}

/**
 * Plays the browser at the provider: follows its redirects with a cookie jar until it sends the
 * browser back to `redirectUriPrefix`, and returns that URL (with code, state and iss).
 */
export async function followProvider(
  authorizationUrl: string,
  redirectUriPrefix: string,
): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop += 1) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const setCookie of res.headers.getSetCookie()) {
      const pair = setCookie.split(';', 1)[0] ?? '';
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = res.headers.get('location');
    if (!location)
      throw new Error(`provider answered ${res.status} without a redirect: ${await res.text()}`);
    const nextUrl = new URL(location, url);
    if (nextUrl.href.startsWith(redirectUriPrefix)) return nextUrl;
    url = nextUrl.href;
  }
  throw new Error('too many redirects at the provider');
}

export interface FakeProvider {
  issuer: string;
  /** The next token response's ID token, built from the nonce our authorization request carried. */
  respondWith(build: () => Promise<string>): void;
  /** A correctly signed ID token with these claims (RS256, the published key). */
  sign(claims: Record<string, unknown>, options?: { otherKey?: boolean }): Promise<string>;
  /** An unsigned (`alg: none`) ID token. */
  unsigned(claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

/**
 * Discovery, JWKS and a token endpoint that returns the ID token the test crafted. Its
 * discovery document is also served under /mismatch, with the root issuer inside.
 */
export async function startFakeProvider(): Promise<FakeProvider> {
  const server = createServer();
  const issuer = await listen(server);
  const good = await signingKey('fake-key');
  const other = await signingKey('fake-key'); // same kid, different key: a forged signature
  let build: (() => Promise<string>) | undefined;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      req.resume();
      // Under /mismatch the document names the root issuer: a provider configured with the
      // /mismatch issuer must refuse it.
      if (
        req.url === '/.well-known/openid-configuration' ||
        req.url === '/mismatch/.well-known/openid-configuration'
      ) {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
        });
      }
      if (req.url === '/jwks') return json(res, 200, { keys: [good.publicJwk] });
      if (req.url === '/token' && req.method === 'POST' && build) {
        return json(res, 200, {
          access_token: 'fake-access-token',
          token_type: 'Bearer',
          expires_in: 60,
          id_token: await build(),
        });
      }
      return json(res, 404, { error: 'not_found' });
    })().catch(() => json(res, 500, { error: 'server_error' }));
  });

  return {
    issuer,
    respondWith: (fn) => {
      build = fn;
    },
    sign: (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'fake-key', typ: 'JWT' })
        .sign((options.otherKey ? other : good).privateKey),
    unsigned: (claims) =>
      `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(claims))}.`,
    close: () => close(server),
  };
}

// A stand-in for the auth service's JWKS endpoint in tests: a real HTTP server publishing RSA
// public keys generated here, and a signer for access tokens shaped like auth's.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export const TEST_ISSUER = 'http://localhost:8000';
export const TEST_AUDIENCE = 'ums-api';

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface TokenOptions {
  sub: string;
  role?: string;
  permissions?: string[];
  /** Claims to add or override (use `undefined` to drop one). */
  claims?: Record<string, unknown>;
  /** Header fields to add or override. */
  header?: Record<string, unknown>;
  kid?: string;
  /** Seconds from now; default 900. */
  expiresIn?: number;
}

export interface JwksServer {
  url: string;
  /** How many times the JWKS was fetched. */
  fetches: () => number;
  currentKid: () => string;
  sign(options: TokenOptions): Promise<string>;
  /** Publishes a new key and signs with it from now on (rotation); returns its kid. */
  rotate(): Promise<string>;
  /** Stops publishing a key (retirement). */
  retire(kid: string): void;
  close(): Promise<void>;
}

async function newKey(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

export async function startJwksServer(): Promise<JwksServer> {
  const keys: KeyPair[] = [await newKey()];
  let current = keys[0] as KeyPair;
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    fetches: () => fetches,
    currentKid: () => current.kid,
    async sign(options) {
      const key = keys.find((k) => k.kid === (options.kid ?? current.kid)) ?? current;
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = {
        sub: options.sub,
        role: options.role ?? 'user',
        permissions: options.permissions ?? [],
        sid: randomUUID(),
        iss: TEST_ISSUER,
        aud: TEST_AUDIENCE,
        iat: now,
        exp: now + (options.expiresIn ?? 900),
        jti: randomUUID(),
        ...options.claims,
      };
      const claims = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined));
      const header = { alg: 'RS256', kid: key.kid, typ: 'at+jwt', ...options.header };
      return new SignJWT(claims).setProtectedHeader(header as never).sign(key.privateKey);
    },
    async rotate() {
      current = await newKey();
      keys.push(current);
      return current.kid;
    },
    retire(kid) {
      const index = keys.findIndex((k) => k.kid === kid);
      if (index >= 0) keys.splice(index, 1);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

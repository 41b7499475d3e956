import type { JWK } from 'jose';
import { z } from 'zod';
import { serviceUnavailable } from '@ums/service-kit/errors';
import type { Container } from '../container.ts';
import { defineRoute, type RouteDef } from '@ums/service-kit/route-table';

// Verifiers (the profile service, outside clients) may cache the set this long: a retired key
// stays listed for a token lifetime plus a minute, and a verifier meeting a new kid refetches.
const CACHE_SECONDS = 300;

const jwkSchema = z.object({
  kty: z.literal('RSA'),
  n: z.string(),
  e: z.string(),
  kid: z.string(),
  alg: z.literal('RS256'),
  use: z.literal('sig'),
});

/** Only the public members, named one by one: nothing else stored with a key can leak. */
function publicMembers(jwk: JWK) {
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: jwk.kid, alg: jwk.alg, use: jwk.use };
}

/**
 * `/.well-known/jwks.json` (the keys that verify our access tokens, retired ones until their
 * tokens expire) and a discovery document.
 */
export function wellKnownRoutes({ keys, config }: Pick<Container, 'keys' | 'config'>): RouteDef[] {
  const issuer = config.ISSUER.replace(/\/+$/, '');

  return [
    defineRoute({
      method: 'get',
      path: '/.well-known/jwks.json',
      summary: 'Public keys that verify access tokens (RS256)',
      tags: ['keys'],
      access: { kind: 'public' },
      responses: {
        200: { description: 'JSON Web Key Set', schema: z.object({ keys: z.array(jwkSchema) }) },
      },
      handler: async ({ res }) => {
        let jwks;
        try {
          jwks = await keys.jwks();
        } catch (error) {
          throw serviceUnavailable(
            'auth.keys_unavailable',
            'Signing keys cannot be read right now.',
            { cause: error },
          );
        }
        res.setHeader('Cache-Control', `public, max-age=${CACHE_SECONDS}`);
        return { body: { keys: jwks.keys.map(publicMembers) } };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/.well-known/openid-configuration',
      summary: 'Issuer metadata: the issuer and where its token-signing keys are',
      tags: ['keys'],
      access: { kind: 'public' },
      responses: {
        200: {
          description:
            'Discovery document with the two fields that exist here (no OpenID Provider endpoints)',
          schema: z.object({ issuer: z.string(), jwks_uri: z.string() }).strict(),
        },
      },
      handler: async ({ res }) => {
        res.setHeader('Cache-Control', `public, max-age=${CACHE_SECONDS}`);
        // Only what exists. This service is a token issuer for its own APIs, not an OpenID
        // Provider or OAuth authorization server: no authorization or token endpoint, no ID
        // tokens, no UserInfo. Resource servers that discover keys from an issuer URL (issuer +
        // jwks_uri, e.g. Spring's issuer-uri) work; generic OIDC clients correctly find no OP.
        return { body: { issuer: config.ISSUER, jwks_uri: `${issuer}/.well-known/jwks.json` } };
      },
    }),
  ];
}

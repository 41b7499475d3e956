import { randomUUID, sign as rsaSign } from 'node:crypto';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import type { SigningKeys } from './signing-keys.ts';

/** RFC 9068 access tokens carry `typ: at+jwt`; anything else is refused as an access token. */
export const ACCESS_TOKEN_TYP = 'at+jwt';
const MFA_TOKEN_TYP = 'mfa+jwt';

export interface AccessClaims {
  userId: string;
  role: string;
  permissions: readonly string[];
  sessionId: string;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs access tokens (RS256, `kid` header, 15 minutes by default) and the short-lived `mfaToken`
 * handed out between the password step and the MFA step. The mfaToken has its own `typ` and
 * audience, so it is useless anywhere but `login/mfa`.
 */
export function createTokenSigner(deps: {
  keys: SigningKeys;
  issuer: string;
  audience: string;
  accessTokenTtl: number;
  mfaTokenTtl: number;
}) {
  const mfaAudience = `${deps.audience}:mfa`;

  async function sign(
    payload: Record<string, unknown>,
    subject: string,
    typ: string,
    audience: string,
    ttl: number,
  ) {
    const key = await deps.keys.currentSigner();
    const iat = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', kid: key.kid, typ };
    const claims = {
      ...payload,
      sub: subject,
      iss: deps.issuer,
      aud: audience,
      iat,
      exp: iat + ttl,
      jti: randomUUID(),
    };
    // RS256 (RSASSA-PKCS1-v1_5, SHA-256) with node:crypto, on this thread: about 0.3 ms, where
    // WebCrypto would queue the job on libuv's pool behind password hashing during a sign-in rush.
    const input = `${base64url(header)}.${base64url(claims)}`;
    return `${input}.${rsaSign('sha256', Buffer.from(input), key.keyObject).toString('base64url')}`;
  }

  return {
    accessTokenTtl: deps.accessTokenTtl,

    async signAccessToken(claims: AccessClaims): Promise<string> {
      return sign(
        { role: claims.role, permissions: [...claims.permissions], sid: claims.sessionId },
        claims.userId,
        ACCESS_TOKEN_TYP,
        deps.audience,
        deps.accessTokenTtl,
      );
    },

    async signMfaToken(userId: string): Promise<string> {
      return sign({}, userId, MFA_TOKEN_TYP, mfaAudience, deps.mfaTokenTtl);
    },

    /** Returns the user id of a valid, unexpired mfaToken, or undefined. */
    async verifyMfaToken(token: string): Promise<{ userId: string; jti: string } | undefined> {
      try {
        const { kid, typ, alg } = decodeProtectedHeader(token);
        if (alg !== 'RS256' || typ !== MFA_TOKEN_TYP || !kid) return undefined;
        const key = await deps.keys.findPublicKey(kid);
        if (!key) return undefined;
        const { payload } = await jwtVerify(token, await importSPKI(key.spkiPem, 'RS256'), {
          algorithms: ['RS256'],
          issuer: deps.issuer,
          audience: mfaAudience,
          typ: MFA_TOKEN_TYP,
          requiredClaims: ['sub', 'exp', 'jti'],
        });
        if (!payload.sub || !payload.jti) return undefined;
        return { userId: payload.sub, jti: payload.jti };
      } catch {
        return undefined;
      }
    },
  };
}

export type TokenSigner = ReturnType<typeof createTokenSigner>;

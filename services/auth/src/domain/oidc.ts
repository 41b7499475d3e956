import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type * as OidcClient from 'openid-client';
import {
  badRequest,
  forbidden,
  notFound,
  serviceUnavailable,
  unauthorized,
} from '@ums/service-kit/errors';
import { sanitizeForLog, type Logger } from '@ums/service-kit/logger';
import { withTransaction, type Db, type DbClient } from '../data/db.ts';
import type { OidcRepository } from '../data/oidc-repository.ts';
import { appendEvent } from '../data/outbox.ts';
import { publicUser, type UserRecord, type UsersRepository } from '../data/users-repository.ts';
import type { BusinessMetrics } from './business-metrics.ts';
import { hashToken, safeEqual } from './crypto.ts';
import { resolveReturnTo, type OidcProviderConfig } from './oidc-config.ts';
import type { ClientInfo, SessionIssuer, TokenPair } from './sessions.ts';
import type { TokenSigner } from './tokens.ts';

/** OIDC federation (relying party): see docs/oidc.md for the flow and its decisions. */

// The code verifier and nonce are sealed under a key derived from the raw state, which only the
// browser holds: a copy of the table (which stores the state's hash) cannot finish a sign-in.
const stateKey = (state: string) =>
  Buffer.from(hkdfSync('sha256', state, Buffer.alloc(0), 'ums-auth/oidc-login-state', 32));

export function sealWithState(state: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', stateKey(state), iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function openWithState(state: string, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined)
    throw new Error('unrecognised sealed value');
  const decipher = createDecipheriv('aes-256-gcm', stateKey(state), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([
    decipher.update(Buffer.from(data, 'base64url')),
    decipher.final(),
  ]).toString('utf8');
}

export const LOGIN_STATE_TTL_SECONDS = 600;

export interface OidcDeps {
  db: Db;
  users: UsersRepository;
  repo: OidcRepository;
  sessions: SessionIssuer;
  signer: TokenSigner;
  business: BusinessMetrics;
  logger: Logger;
  providers: readonly OidcProviderConfig[];
  /** This service's public origin (ISSUER): the redirect URI is built from it, never from Host. */
  issuer: string;
  publicBaseUrl: string;
  returnToAllowlist: readonly string[];
  /** Plain-http issuers (tests, local development); refused in production by the config. */
  allowInsecureIssuers: boolean;
}

export interface SignInContext extends ClientInfo {
  requestId: string;
}

export type OidcOutcome =
  | { kind: 'session'; pair: TokenPair; user: UserRecord; returnTo: string }
  | { kind: 'mfa'; mfaToken: string; returnTo: string };

/** What the provider told us about the person (ID token, completed from UserInfo if needed). */
interface ProviderProfile {
  sub: string;
  email?: string;
  emailVerified: boolean;
  givenName?: string;
  familyName?: string;
}

const invalidState = () =>
  badRequest(
    'auth.oidc_invalid_state',
    'The sign-in request is unknown, expired or already used; start again.',
  );

const isNetworkError = (error: unknown) =>
  (error instanceof TypeError && error.message === 'fetch failed') ||
  (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';

/** Loggable summary of a library error: its name, code and message, never tokens or bodies. */
function reasonOf(error: unknown): { reason: string; errorCode?: string } {
  if (!(error instanceof Error)) return { reason: 'unknown error' };
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const oauthError = 'error' in error && typeof error.error === 'string' ? ` (${error.error})` : '';
  // openid-client wraps the specific check that failed ("unexpected JWT alg ...") as the cause.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return {
    reason: sanitizeForLog(`${error.name}: ${error.message}${oauthError}${cause}`),
    errorCode: code,
  };
}

// openid-client is loaded on the first OIDC request: most installations configure no provider.
let clientModule: Promise<typeof OidcClient> | undefined;
const openidClient = () => (clientModule ??= import('openid-client'));

export function createOidcService(deps: OidcDeps) {
  const { db, users, repo, logger } = deps;
  const byId = new Map(deps.providers.map((p) => [p.id, p]));
  const configurations = new Map<string, Promise<OidcClient.Configuration>>();
  const issuerBase = deps.issuer.replace(/\/+$/, '');
  const callbackUrl = (id: string) => `${issuerBase}/api/v1/auth/oidc/${id}/callback`;

  function providerOf(id: string): OidcProviderConfig {
    const provider = byId.get(id);
    if (!provider)
      throw notFound('auth.oidc_unknown_provider', 'There is no sign-in provider with this id.');
    return provider;
  }

  async function discover(p: OidcProviderConfig): Promise<OidcClient.Configuration> {
    const oidc = await openidClient();
    // Verify ID token signatures too: without this, openid-client trusts the token endpoint's TLS.
    const execute = [oidc.enableNonRepudiationChecks];
    if (deps.allowInsecureIssuers && p.issuer.startsWith('http:'))
      execute.push(oidc.allowInsecureRequests);
    const auth =
      p.tokenEndpointAuthMethod === 'client_secret_post'
        ? oidc.ClientSecretPost(p.clientSecret)
        : oidc.ClientSecretBasic(p.clientSecret);
    return oidc.discovery(new URL(p.issuer), p.clientId, undefined, auth, { execute, timeout: 10 });
  }

  /** Discovery once per provider; a failure is forgotten so the next request tries again. */
  async function configurationOf(p: OidcProviderConfig): Promise<OidcClient.Configuration> {
    let pending = configurations.get(p.id);
    if (!pending) {
      pending = discover(p);
      configurations.set(p.id, pending);
      pending.catch(() => configurations.delete(p.id));
    }
    try {
      return await pending;
    } catch (error) {
      logger.warn({ provider: p.id, ...reasonOf(error) }, 'OIDC provider discovery failed');
      throw serviceUnavailable(
        'auth.oidc_provider_unavailable',
        'The sign-in provider cannot be reached.',
      );
    }
  }

  async function exchange(
    p: OidcProviderConfig,
    params: URLSearchParams,
    checks: { state: string; verifier: string; nonce: string },
  ): Promise<ProviderProfile> {
    const config = await configurationOf(p);
    const oidc = await openidClient();
    const currentUrl = new URL(callbackUrl(p.id));
    currentUrl.search = params.toString();
    try {
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: checks.verifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const id = tokens.claims();
      if (!id || typeof id.sub !== 'string' || id.sub === '')
        throw new Error('ID token without sub');
      let claims: Record<string, unknown> = id;
      if (typeof id.email !== 'string' && config.serverMetadata().userinfo_endpoint) {
        // Providers that follow OIDC Core closely put scope claims in UserInfo, not the ID token.
        claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, id.sub)), ...id };
      }
      const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
      return {
        sub: id.sub,
        email: str(claims.email),
        emailVerified: claims.email_verified === true,
        givenName: str(claims.given_name),
        familyName: str(claims.family_name),
      };
    } catch (error) {
      logger.warn({ provider: p.id, ...reasonOf(error) }, 'OIDC sign-in refused');
      if (isNetworkError(error)) {
        throw serviceUnavailable(
          'auth.oidc_provider_unavailable',
          'The sign-in provider cannot be reached.',
        );
      }
      throw unauthorized(
        'auth.oidc_failed',
        'The sign-in with the provider could not be verified.',
      );
    }
  }

  /** The local account for this provider identity: linked, linked now, or created now. */
  async function accountFor(
    tx: DbClient,
    p: OidcProviderConfig,
    who: ProviderProfile,
    req: SignInContext,
  ) {
    const identity = await repo.findIdentity(tx, p.id, who.sub);
    if (identity) {
      const user = await users.findById(tx, identity.userId, true);
      if (!user) throw unauthorized('auth.oidc_failed', 'The linked account no longer exists.');
      await repo.recordIdentityLogin(tx, identity.id, who.email ?? null);
      return { user, created: false };
    }
    if (!who.email)
      throw forbidden('auth.oidc_email_missing', 'The provider did not share an email address.');
    // An unverified provider email proves nothing: it never links to, creates or takes over an account.
    if (!who.emailVerified) {
      throw forbidden(
        'auth.oidc_email_unverified',
        'The provider has not verified this email address.',
      );
    }
    const event = { actorId: null as string | null, requestId: req.requestId, ip: req.ip };
    const local = await users.findByEmail(tx, who.email, true);
    if (local) {
      // Whoever registered it never proved the mailbox: linking would let them keep a password.
      if (!local.emailVerified) {
        throw forbidden(
          'auth.oidc_account_unverified',
          'An account with this email exists but its email is not verified: sign in with its password first.',
        );
      }
      await repo.linkIdentity(tx, {
        userId: local.id,
        provider: p.id,
        subject: who.sub,
        email: who.email,
      });
      await appendEvent(tx, {
        type: 'user.identity_linked',
        aggregateId: local.id,
        ...event,
        actorId: local.id,
        data: { provider: p.id },
      });
      return { user: local, created: false };
    }
    const user = await users.insert(tx, {
      email: who.email,
      passwordHash: null,
      firstName: who.givenName ?? null,
      lastName: who.familyName ?? null,
      role: 'user',
      emailVerified: true,
    });
    await repo.linkIdentity(tx, {
      userId: user.id,
      provider: p.id,
      subject: who.sub,
      email: who.email,
    });
    await appendEvent(tx, {
      type: 'user.registered',
      aggregateId: user.id,
      ...event,
      actorId: user.id,
      data: { user: publicUser(user), source: 'oidc', provider: p.id },
    });
    return { user, created: true };
  }

  async function signInOnce(p: OidcProviderConfig, who: ProviderProfile, req: SignInContext) {
    return withTransaction(db, async (tx) => {
      const { user, created } = await accountFor(tx, p, who, req);
      if (user.status !== 'active')
        throw forbidden('auth.oidc_account_disabled', 'This account is not active.');
      if (user.mfaEnabled) {
        return { kind: 'mfa' as const, created, mfaToken: await deps.signer.signMfaToken(user.id) };
      }
      const pair = await deps.sessions.issue(tx, user, req);
      await repo.recordUserLogin(tx, user.id);
      await appendEvent(tx, {
        type: 'auth.login_succeeded',
        aggregateId: user.id,
        actorId: user.id,
        requestId: req.requestId,
        ip: req.ip,
        data: { method: 'oidc', provider: p.id, sessionId: pair.sessionId },
      });
      return { kind: 'session' as const, created, pair, user };
    });
  }

  async function signIn(p: OidcProviderConfig, who: ProviderProfile, req: SignInContext) {
    // Two first sign-ins racing for one email or identity: the loser retries and finds the winner's.
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await signInOnce(p, who, req);
        if (result.created) deps.business.registrations.inc();
        deps.business.logins.inc({ result: result.kind === 'mfa' ? 'mfa_required' : 'success' });
        return result;
      } catch (error) {
        if (attempt >= 3 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  return {
    providers: () => deps.providers.map((p) => ({ id: p.id, name: p.name })),
    callbackUrl,

    /** Starts a sign-in: stores the state (hashed) and returns the provider's authorization URL. */
    async startAuthorization(providerId: string, returnTo: string | undefined) {
      const p = providerOf(providerId);
      const target = resolveReturnTo(returnTo, {
        publicBaseUrl: deps.publicBaseUrl,
        allowlist: deps.returnToAllowlist,
      });
      const config = await configurationOf(p);
      const oidc = await openidClient();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const verifier = oidc.randomPKCECodeVerifier();
      await repo.insertLoginState(db, {
        stateHash: hashToken(state),
        provider: p.id,
        codeVerifierSealed: sealWithState(state, verifier),
        nonceSealed: sealWithState(state, nonce),
        returnTo: target,
        ttlSeconds: LOGIN_STATE_TTL_SECONDS,
      });
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: callbackUrl(p.id),
        scope: p.scopes.join(' '),
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, state };
    },

    /**
     * Finishes a sign-in. `boundState` is the state from this browser's cookie: a callback
     * carried into another browser (login CSRF) is refused.
     */
    async completeAuthorization(
      providerId: string,
      input: { params: URLSearchParams; boundState: string | undefined },
      req: SignInContext,
    ): Promise<OidcOutcome> {
      const p = providerOf(providerId);
      const states = input.params.getAll('state');
      const state = states.length === 1 ? states[0] : undefined;
      if (
        !state ||
        !input.boundState ||
        !safeEqual(Buffer.from(state), Buffer.from(input.boundState))
      ) {
        throw invalidState();
      }
      const stored = await repo.consumeLoginState(db, hashToken(state), p.id);
      if (!stored) throw invalidState();
      let checks;
      try {
        checks = {
          state,
          verifier: openWithState(state, stored.codeVerifierSealed),
          nonce: openWithState(state, stored.nonceSealed),
        };
      } catch {
        throw invalidState();
      }
      const who = await exchange(p, input.params, checks);
      const result = await signIn(p, who, req);
      const returnTo = stored.returnTo ?? new URL(deps.publicBaseUrl).href;
      return result.kind === 'mfa'
        ? { kind: 'mfa', mfaToken: result.mfaToken, returnTo }
        : { kind: 'session', pair: result.pair, user: result.user, returnTo };
    },
  };
}

export type OidcService = ReturnType<typeof createOidcService>;

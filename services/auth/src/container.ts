import { Redis } from 'ioredis';
import { createHealth } from '@ums/service-kit/health';
import type { Logger } from '@ums/service-kit/logger';
import { createMetrics } from '@ums/service-kit/metrics';
import { registerPgPoolMetrics, registerRedisConnected } from '@ums/service-kit/pool-metrics';
import {
  createSessionRevocations,
  revocationConnection,
  revocationStreamOf,
} from '@ums/service-kit/session-revocations';
import type { AuthConfig } from './config.ts';
import { throttledRequestsCounter } from '@ums/service-kit/pool-metrics';
import { createAccountsRepository } from './data/accounts-repository.ts';
import { createDb, type Queryable } from './data/db.ts';
import { createOidcRepository } from './data/oidc-repository.ts';
import { createRolesRepository } from './data/roles-repository.ts';
import { createUsersRepository } from './data/users-repository.ts';
import { createAccessDeniedAudit } from './domain/access-audit.ts';
import { createDeferred, type AccountDeps } from './domain/account-deps.ts';
import { createAccountService } from './domain/accounts.ts';
import { createBulkService } from './domain/bulk.ts';
import { createBusinessMetrics } from './domain/business-metrics.ts';
import { createSealer } from './domain/crypto.ts';
import {
  keyRotationTask,
  rotationCheckIntervalMs,
  type BackgroundTask,
} from './domain/key-rotation-schedule.ts';
import { createMailer } from './domain/mailer.ts';
import { createRecoveryCodeHasher, createSecondFactor } from './domain/mfa.ts';
import { createMfaEnrolment } from './domain/mfa-enrolment.ts';
import { createMfaLogin } from './domain/mfa-login.ts';
import { createOidcService } from './domain/oidc.ts';
import { parseOidcProviders } from './domain/oidc-config.ts';
import { createOutboxRelay, relayConnection } from './domain/outbox-relay.ts';
import { createPersonalExport } from './domain/personal-export.ts';
import { registerPipelineMetrics } from './domain/pipeline-metrics.ts';
import { createRefreshRotation } from './domain/refresh.ts';
import { createRoleService } from './domain/roles.ts';
import { activeSessionsGaugeTask } from './domain/session-list.ts';
import { createSessionIssuer } from './domain/sessions.ts';
import { createSigningKeys } from './domain/signing-keys.ts';
import { createThrottle } from './domain/throttle.ts';
import { createTokenSigner } from './domain/tokens.ts';
import { createAccessControl } from './routes/access-control.ts';

/** How often the active-sessions gauge is recounted. */
const ACTIVE_SESSIONS_INTERVAL_MS = 30_000;

/**
 * The auth service's composition root: every repository, service and background task is built
 * here, once. Route factories receive the services they use and have no side effects; nothing
 * connects at import time or before `start()`. Tests build their own container against their own
 * database and Redis key prefix.
 */
export function createContainer(config: AuthConfig, logger: Logger) {
  const db = createDb({
    connectionString: config.DATABASE_URL,
    max: config.DATABASE_POOL_MAX,
    logger,
  });
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    // Fail fast while Redis is away: limiters fall back to memory, the outbox relay retries later.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
  });
  redis.on('error', (error: Error) => logger.debug({ err: error }, 'Redis connection error'));

  const metrics = createMetrics({ serviceName: config.SERVICE_NAME });
  const business = createBusinessMetrics(metrics.registry);
  const users = createUsersRepository();
  const roleRecords = createRolesRepository();
  const accountRecords = createAccountsRepository();
  const keys = createSigningKeys({
    db,
    sealer: createSealer(config.TOKEN_KEK, 'signing-keys'),
    accessTokenTtl: config.ACCESS_TOKEN_TTL,
    rotationInterval: config.KEY_ROTATION_INTERVAL,
  });
  registerPgPoolMetrics(metrics.registry, db);
  registerRedisConnected(metrics.registry, 'main', redis);
  registerPipelineMetrics({
    registry: metrics.registry,
    db,
    redis,
    stream: config.EVENTS_STREAM,
    activeKeyAgeSeconds: () => keys.activeKeyAgeSeconds(),
    rotationIntervalSeconds: config.KEY_ROTATION_INTERVAL,
    logger,
  });
  const signer = createTokenSigner({
    keys,
    issuer: config.ISSUER,
    audience: config.AUDIENCE,
    accessTokenTtl: config.ACCESS_TOKEN_TTL,
    mfaTokenTtl: config.MFA_TOKEN_TTL,
  });
  const sessions = createSessionIssuer({
    signer,
    permissionsOf: (role: string, q: Queryable = db) => roleRecords.permissionsOf(q, role),
    absoluteTtl: config.REFRESH_ABSOLUTE_TTL,
    idleTtl: config.REFRESH_IDLE_TTL,
  });
  const revocationStream = config.REVOCATION_STREAM ?? revocationStreamOf(config.EVENTS_STREAM);
  const revocations = createSessionRevocations({
    connection: revocationConnection(redis, logger),
    stream: revocationStream,
    maxStalenessMs: config.REVOCATION_MAX_STALENESS_MS,
    logger,
  });
  const access = createAccessControl({
    revocations,
    keys,
    issuer: config.ISSUER,
    audience: config.AUDIENCE,
    trustedProxies: config.TRUSTED_PROXIES,
    permissionsOf: (userId) => users.permissionsOf(db, userId),
    mfaRequiredRoles: config.MFA_REQUIRED_ROLES,
  });
  const health = createHealth({
    // Redis is left out on purpose: without it the service degrades (in-memory limiters, events
    // wait in the outbox) instead of failing, so it must not take every replica out of rotation.
    checks: { postgres: () => db.query('SELECT 1') },
    logger,
  });
  const sealTotp = createSealer(config.TOKEN_KEK, 'totp-secrets');
  const lockoutPolicy = {
    threshold: config.LOCKOUT_THRESHOLD,
    durationSeconds: config.LOCKOUT_DURATION,
  };
  const passwordPolicy = {
    minLength: config.PASSWORD_MIN_LENGTH,
    maxLength: config.PASSWORD_MAX_LENGTH,
  };

  // Registration, sign-in, password and email flows.
  const mailer = createMailer(config, logger);
  const later = createDeferred(logger);
  const throttle = createThrottle({
    redis,
    keyPrefix: config.REDIS_KEY_PREFIX,
    logger,
    refusals: throttledRequestsCounter(metrics.registry),
  });
  const account: AccountDeps = {
    db,
    users,
    sessions,
    signer,
    business,
    lockoutPolicy,
    passwordPolicy,
    throttle,
    mailer,
    later,
    logger,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    oneTimeTokenTtl: 3600,
  };

  // Administration and self-service. Refused permission checks are audited, as refused admin
  // actions inside the services are.
  const auditDenied = createAccessDeniedAudit(db, logger);
  access.onDenied = (principal, route, ctx) =>
    auditDenied(
      { userId: principal.userId, requestId: ctx.requestId, ip: ctx.ip },
      {
        method: route.method.toUpperCase(),
        path: route.path,
        permission: route.access.kind === 'permission' ? route.access.permission : undefined,
      },
    );
  const accounts = createAccountService({
    db,
    users,
    accounts: accountRecords,
    roles: roleRecords,
    auditDenied,
  });
  const bulk = createBulkService({ db, accounts, auditDenied });
  const roles = createRoleService({ db, roles: roleRecords, users });
  const personalExport = createPersonalExport({ db, users, throttle });

  // Second factor: enrolment and the second sign-in step.
  const hashRecoveryCode = createRecoveryCodeHasher(config.TOKEN_KEK);
  const spendSecondFactor = createSecondFactor({ sealer: sealTotp, hashRecoveryCode });
  const mfaEnrolment = createMfaEnrolment({
    db,
    users,
    sealer: sealTotp,
    hashRecoveryCode,
    spendSecondFactor,
    lockoutPolicy,
    requiredRoles: config.MFA_REQUIRED_ROLES,
    onLockout: () => business.lockouts.inc(),
  });
  const mfaLogin = createMfaLogin({
    db,
    users,
    signer,
    sessions,
    spendSecondFactor,
    lockoutPolicy,
    mfaTokenTtl: config.MFA_TOKEN_TTL,
    business,
  });

  const oidc = createOidcService({
    db,
    users,
    repo: createOidcRepository(),
    sessions,
    signer,
    business,
    logger,
    providers: parseOidcProviders(config.OIDC_PROVIDERS, {
      production: config.NODE_ENV === 'production',
    }),
    issuer: config.ISSUER,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    returnToAllowlist: config.RETURN_TO_ALLOWLIST,
    allowInsecureIssuers: config.NODE_ENV !== 'production',
  });
  const rotation = createRefreshRotation({
    db,
    signer,
    idleTtl: config.REFRESH_IDLE_TTL,
    metrics: business,
  });

  // Background work, started by start() in this order and stopped in the reverse one.
  const relayRedis = relayConnection(redis, logger);
  registerRedisConnected(metrics.registry, 'stream', relayRedis);
  const outboxRelay = createOutboxRelay({
    db,
    redis: relayRedis,
    stream: config.EVENTS_STREAM,
    revocations: { stream: revocationStream, accessTokenTtl: config.ACCESS_TOKEN_TTL },
    logger,
    registry: metrics.registry,
  });
  const background: readonly BackgroundTask[] = [
    {
      name: 'account-mail',
      start: () => undefined,
      // Mail already promised to a caller goes out before the process ends.
      stop: async () => {
        await later.flush();
        await mailer.flush();
      },
    },
    outboxRelay,
    activeSessionsGaugeTask({
      db,
      gauge: business.activeSessions,
      intervalMs: ACTIVE_SESSIONS_INTERVAL_MS,
      logger,
    }),
    keyRotationTask({
      keys,
      intervalMs: rotationCheckIntervalMs(config.KEY_ROTATION_INTERVAL),
      logger,
    }),
  ];

  return {
    config,
    logger,
    db,
    redis,
    metrics,
    business,
    users,
    keys,
    signer,
    sessions,
    access,
    revocationStream,
    revocations,
    health,
    account,
    accounts,
    bulk,
    roles,
    personalExport,
    mfaEnrolment,
    mfaLogin,
    oidc,
    rotation,
    outboxRelay,
    background,

    async start(): Promise<void> {
      await redis
        .connect()
        .catch((error: unknown) =>
          logger.warn({ err: error }, 'Redis unavailable at start; continuing'),
        );
      await keys.ensureKey();
      // Access tokens are refused (503) until the ended-session list has been read once.
      revocations.start();
      if (!(await revocations.ready(2_000)))
        logger.warn('session revocations not read yet; access tokens get 503 until they are');
      for (const task of background) task.start();
    },

    async stop(): Promise<void> {
      for (const task of [...background].reverse()) await task.stop();
      await revocations.stop();
      redis.disconnect();
      await db.end();
    },
  };
}

export type Container = ReturnType<typeof createContainer>;

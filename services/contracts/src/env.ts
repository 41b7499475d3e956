// The settings the operator writes into an instance's ConfigMap, named as the services' config
// schemas (services/*/src/config.ts) read them. scripts/src/contracts/service-env.test.ts proves
// the names against both sides: what the operator sets is read, and what a service requires is set.
import type { ServiceName } from './paths.ts';

const both = ['auth', 'profile'] as const;

/**
 * Each ConfigMap key with the services that read it. Both services mount the whole ConfigMap
 * (`envFrom`) and ignore the keys that are not theirs. Secrets never go here: the operator sets
 * them per container from Secret references.
 */
export const configMapEnv = {
  NODE_ENV: both,
  HOST: both,
  PORT: both,
  SHUTDOWN_TIMEOUT_MS: both,
  ISSUER: both,
  PUBLIC_BASE_URL: ['auth'],
  CORS_ORIGINS: both,
  COOKIE_SECURE: ['auth'],
  AUTH_JWKS_URL: ['profile'],
  ACCESS_TOKEN_TTL: ['auth'],
  REFRESH_ABSOLUTE_TTL: ['auth'],
  REFRESH_IDLE_TTL: ['auth'],
  PASSWORD_MIN_LENGTH: ['auth'],
  LOCKOUT_THRESHOLD: ['auth'],
  LOCKOUT_DURATION: ['auth'],
  MFA_REQUIRED_ROLES: ['auth'],
  DEMO_SEED: ['auth'],
  MAIL_OUTBOX_DIR: ['auth'],
  AVATAR_LOCAL_DIR: ['profile'],
} as const satisfies Record<string, readonly ServiceName[]>;

export type ConfigMapEnvName = keyof typeof configMapEnv;

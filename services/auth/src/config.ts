import { z } from 'zod';
import {
  baseConfigSchema,
  booleanFromEnv,
  loadConfig,
  secret,
  type Env,
} from '@ums/service-kit/config';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  );

/**
 * The auth service's configuration, parsed once at start-up. Secrets have no defaults: the
 * process refuses to start without them. Durations are in seconds.
 */
export const authConfigSchema = baseConfigSchema.extend({
  SERVICE_NAME: z.string().default('auth'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8001),
  DATABASE_URL: z.string().url(),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(20),
  REDIS_URL: z.string().url(),
  REDIS_KEY_PREFIX: z.string().default('ums:'),
  /** 32 random bytes, base64: encrypts signing keys and TOTP secrets at rest. */
  TOKEN_KEK: secret(),
  ISSUER: z.string().url().default('http://localhost:8000'),
  AUDIENCE: z.string().default('ums-api'),
  ACCESS_TOKEN_TTL: seconds(15 * 60),
  REFRESH_ABSOLUTE_TTL: seconds(30 * 24 * 3600),
  REFRESH_IDLE_TTL: seconds(7 * 24 * 3600),
  MFA_TOKEN_TTL: seconds(5 * 60),
  /** How long a signing key signs before a new one takes over. */
  KEY_ROTATION_INTERVAL: seconds(30 * 24 * 3600),
  /** Where links in emails point (the web app), never taken from the request's Host header. */
  PUBLIC_BASE_URL: z.string().url().default('http://localhost:3000'),
  /** Cookie `Secure` and `__Host-` prefix; off only for plain-http local development. */
  COOKIE_SECURE: booleanFromEnv().default(true),
  CORS_ORIGINS: list,
  /** Proxy addresses or CIDRs whose X-Forwarded-For is believed (e.g. the gateway, the Ingress). */
  TRUSTED_PROXIES: list,
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).default(12),
  PASSWORD_MAX_LENGTH: z.coerce.number().int().max(1024).default(128),
  LOCKOUT_THRESHOLD: z.coerce.number().int().positive().default(5),
  LOCKOUT_DURATION: seconds(15 * 60),
  /** Roles that must use MFA (comma-separated role names). */
  MFA_REQUIRED_ROLES: list,
  /** smtp(s)://user:pass@host:port; without it mail goes to MAIL_OUTBOX_DIR. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('User Management <no-reply@usermanagement.local>'),
  MAIL_OUTBOX_DIR: z.string().default('.local/mail'),
  /** JSON array of OIDC providers: [{ id, name, issuer, clientId, clientSecret, scopes? }]. */
  OIDC_PROVIDERS: z.string().default('[]'),
  /** Allowed `returnTo` origins/paths after OIDC sign-in (besides PUBLIC_BASE_URL). */
  RETURN_TO_ALLOWLIST: list,
  EVENTS_STREAM: z.string().default('ums:events'),
  /** Ended sessions for every token verifier; default `<EVENTS_STREAM>:revoked-sessions`. */
  REVOCATION_STREAM: z.string().min(1).optional(),
  /** How far behind that list may fall (Redis away) before access tokens get 503. */
  REVOCATION_MAX_STALENESS_MS: z.coerce.number().int().positive().default(10_000),
  /** Allow the demo seed (refused when NODE_ENV=production whatever this says). */
  DEMO_SEED: booleanFromEnv().default(true),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;

export function loadAuthConfig(env: Env = process.env): AuthConfig {
  return loadConfig(authConfigSchema, env);
}

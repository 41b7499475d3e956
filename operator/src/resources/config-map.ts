// Non-secret settings for auth and profile, from the spec's security and ingress sections.
// Secrets never go here: they reach the pods as secretKeyRef environment variables.
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { ConfigMapEnvName } from '@ums/contracts/env';
import type { InstanceRef } from '../api/types.ts';
import { publicEndpoint } from './ingress.ts';
import { childMeta, childName } from './meta.ts';
import { shortHash } from '../runtime/canonical-json.ts';

export function configMapName(instance: InstanceRef): string {
  return childName(instance, 'config');
}

/** Seconds in a Go duration such as `15m` or `1h30m` (the CRD only admits h, m and s). */
export function durationSeconds(duration: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1 };
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+)([hms])/g)) {
    total += Number(amount) * (units[unit ?? 's'] ?? 1);
  }
  return total;
}

/**
 * The settings, exactly the keys of `configMapEnv` (@ums/contracts/env): named as the services'
 * config schemas read them, each service ignoring the other's (scripts/src/contracts proves it).
 */
export function appSettings(instance: InstanceRef): Record<ConfigMapEnvName, string> {
  const { security, ingress } = instance.spec;
  const endpoint = publicEndpoint(instance);
  return {
    NODE_ENV: 'production',
    HOST: '0.0.0.0',
    PORT: '8080',
    // The pods' preStop sleep plus this must stay under terminationGracePeriodSeconds.
    SHUTDOWN_TIMEOUT_MS: '20000',
    ISSUER: endpoint,
    PUBLIC_BASE_URL: endpoint,
    CORS_ORIGINS: endpoint,
    // Secure cookies need https; without TLS on the Ingress they would never be sent back.
    COOKIE_SECURE: String(Boolean(ingress.enabled && ingress.tls)),
    AUTH_JWKS_URL: `http://${childName(instance, 'auth')}.${instance.namespace}.svc/.well-known/jwks.json`,
    ACCESS_TOKEN_TTL: String(durationSeconds(security.accessTokenTTL)),
    REFRESH_ABSOLUTE_TTL: String(durationSeconds(security.refreshTokenTTL)),
    REFRESH_IDLE_TTL: String(durationSeconds(security.sessionIdleTimeout)),
    PASSWORD_MIN_LENGTH: String(security.password.minLength),
    LOCKOUT_THRESHOLD: String(security.lockout.maxAttempts),
    LOCKOUT_DURATION: String(durationSeconds(security.lockout.duration)),
    MFA_REQUIRED_ROLES: security.mfa.requiredForAdmins ? 'admin,super_admin' : '',
    DEMO_SEED: String(security.demoUsers),
    // The root file system is read-only; /tmp is the pod's scratch volume.
    MAIL_OUTBOX_DIR: '/tmp/mail',
    AVATAR_LOCAL_DIR: '/tmp/avatars',
  };
}

export function buildConfigMap(instance: InstanceRef): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: childMeta(instance, configMapName(instance)),
    data: appSettings(instance),
  };
}

/** Changes when the settings change, so pods restart and pick them up. */
export function configHash(instance: InstanceRef): string {
  return shortHash(appSettings(instance));
}

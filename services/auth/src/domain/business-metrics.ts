import { Counter, Gauge, type Registry } from 'prom-client';

/** Business counters next to the kit's RED metrics; SREs alert on these (see docs/observability). */
export function createBusinessMetrics(registry: Registry) {
  return {
    registrations: new Counter({
      name: 'ums_auth_registrations_total',
      help: 'Accounts registered',
      registers: [registry],
    }),
    logins: new Counter({
      name: 'ums_auth_logins_total',
      help: 'Sign-in attempts by result (success, failure, mfa_required, locked, throttled)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    lockouts: new Counter({
      name: 'ums_auth_lockouts_total',
      help: 'Accounts locked after repeated failures',
      registers: [registry],
    }),
    tokenReuse: new Counter({
      name: 'ums_auth_refresh_token_reuse_total',
      help: 'Refresh tokens presented again after rotation (family revoked)',
      registers: [registry],
    }),
    mfaVerifications: new Counter({
      name: 'ums_auth_mfa_verifications_total',
      help: 'Second-factor codes checked at sign-in, by method (totp, recovery_code) and result (success, failure)',
      labelNames: ['method', 'result'] as const,
      registers: [registry],
    }),
    activeSessions: new Gauge({
      name: 'ums_auth_active_sessions',
      help: 'Live sessions (refresh token families)',
      registers: [registry],
    }),
  };
}

export type BusinessMetrics = ReturnType<typeof createBusinessMetrics>;

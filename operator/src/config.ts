// The operator's settings, from environment variables, parsed once at start-up.
import { hostname } from 'node:os';
import { z } from 'zod';
import { booleanFromEnv, loadConfig, logLevels } from '@ums/service-kit/config';
import type { Env } from '@ums/service-kit/config';
import { leaseName, operatorNamespace } from './api/group.ts';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const operatorConfigSchema = z.object({
  LOG_LEVEL: z.enum(logLevels).default('info'),
  /** Watch one namespace only (tests, or a namespaced install); all namespaces when unset. */
  WATCH_NAMESPACE: z.string().min(1).optional(),
  LEADER_ELECT: booleanFromEnv().default(true),
  /** Set by the Deployment from the downward API; the Lease lives next to the operator. */
  POD_NAMESPACE: z.string().min(1).default(operatorNamespace),
  POD_NAME: z.string().min(1).default(`${hostname()}-${process.pid}`),
  LEASE_NAME: z.string().min(1).default(leaseName),
  // Worst-case takeover after the leader dies: retry + duration + retry, about 10 s.
  LEASE_DURATION_MS: positiveInt(8000),
  RENEW_DEADLINE_MS: positiveInt(5000),
  RETRY_PERIOD_MS: positiveInt(1000),
  HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  CONCURRENCY: positiveInt(4),
  RESYNC_SECONDS: positiveInt(300),
  BACKOFF_BASE_MS: positiveInt(200),
  BACKOFF_MAX_MS: positiveInt(300_000),
  /** Discovery answers (are the Prometheus Operator's CRDs served?) are kept this long. */
  MONITORING_RECHECK_SECONDS: positiveInt(60),
});

export type OperatorConfig = z.output<typeof operatorConfigSchema>;

export function loadOperatorConfig(env: Env = process.env): OperatorConfig {
  const config = loadConfig(operatorConfigSchema, env);
  if (config.RENEW_DEADLINE_MS >= config.LEASE_DURATION_MS) {
    throw new Error('RENEW_DEADLINE_MS must be shorter than LEASE_DURATION_MS');
  }
  return config;
}

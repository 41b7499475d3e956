import { z } from 'zod';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof logLevels)[number];

export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown by `loadConfig`; the message has one line per invalid variable and never a value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** A required secret: no default, at least 16 characters. */
export function secret() {
  return z.string().min(16, { error: 'must be at least 16 characters long' });
}

/** "true"/"1" → true, "false"/"0" → false; anything else is a configuration error. */
export function booleanFromEnv() {
  return z
    .enum(['true', 'false', '1', '0'], { error: 'must be one of true, false, 1, 0' })
    .transform((value) => value === 'true' || value === '1');
}

export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce
    .number({ error: 'must be an integer between 1 and 65535' })
    .int({ error: 'must be an integer between 1 and 65535' })
    .min(1, { error: 'must be an integer between 1 and 65535' })
    .max(65535, { error: 'must be an integer between 1 and 65535' }),
  SERVICE_NAME: z.string().min(1),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a positive integer (milliseconds)' })
    .int({ error: 'must be a positive integer (milliseconds)' })
    .positive({ error: 'must be a positive integer (milliseconds)' })
    .default(10_000),
  // Between readiness turning 503 and the listener closing, for load balancers that only follow
  // readiness. Kubernetes needs none: the pods' preStop sleep keeps traffic away before SIGTERM.
  SHUTDOWN_DRAIN_DELAY_MS: z.coerce
    .number({ error: 'must be a non-negative integer (milliseconds)' })
    .int({ error: 'must be a non-negative integer (milliseconds)' })
    .min(0, { error: 'must be a non-negative integer (milliseconds)' })
    .default(0),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional(),
});
export type BaseConfig = z.output<typeof baseConfigSchema>;

/**
 * Parses `env` with `schema`. Empty strings count as unset, because orchestrators and
 * .env files commonly render "unset" as `VAR=`.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const input: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, input)));
}

function describeIssue(issue: z.core.$ZodIssue, input: Record<string, string>): string {
  const name = issue.path.map(String).join('.') || '(root)';
  const top = issue.path[0];
  const raw = typeof top === 'string' ? input[top] : undefined;
  if (issue.path.length === 1 && raw === undefined) return `${name}: is required but not set`;
  return `${name}: ${scrub(issue.message, raw)}`;
}

// Built-in zod messages never contain the input, but custom messages might; a secret must
// not reach logs or crash reports through that route.
function scrub(message: string, raw: string | undefined): string {
  if (raw === undefined || raw.length < 4) return message;
  return message.split(raw).join('[REDACTED]');
}

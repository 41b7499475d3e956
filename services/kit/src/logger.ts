import { hostname } from 'node:os';
import { pino, stdSerializers, stdTimeFunctions } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';

export type { Logger } from 'pino';

export const REDACTED = '[REDACTED]';

/** Property names whose values are credentials, wherever they appear in a log object. */
export const sensitiveKeys = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'mfaToken',
  'code',
  'secret',
  'totpSecret',
  'recoveryCodes',
  'apiKey',
  'clientSecret',
  'client_secret',
  'authorization',
  'cookie',
] as const;

export const sensitiveHeaders = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
] as const;

// pino's redaction has no recursive wildcard ("**"); each `*.` adds one level, so we list
// depths explicitly. Four levels covers `{ body: { user: { credentials: { password } } } }`.
const REDACT_DEPTH = 4;

function pathsForKey(key: string): string[] {
  const paths: string[] = [];
  for (let depth = 0; depth < REDACT_DEPTH; depth += 1) paths.push('*.'.repeat(depth) + key);
  return paths;
}

export const redactPaths: readonly string[] = [
  ...sensitiveKeys.flatMap(pathsForKey),
  ...sensitiveHeaders.flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`]),
];

// `code` is both an OAuth/MFA code (a secret, redacted everywhere) and the conventional field
// for error codes such as ECONNREFUSED or our AppError codes. Serializers run before redaction,
// so errors carry theirs as `errorCode` and incidents stay debuggable.
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const serialized: Record<string, unknown> = { ...stdSerializers.err(err) };
  if ('code' in serialized) {
    serialized.errorCode = serialized.code;
    delete serialized.code;
  }
  return serialized;
}

export interface CreateLoggerOptions {
  /** Service name, added to every line as `service`. */
  name: string;
  level: Level | 'silent';
  /** Where JSON lines go; stdout when omitted. */
  destination?: DestinationStream;
}

export function createLogger({ name, level, destination }: CreateLoggerOptions): Logger {
  const options = {
    level,
    base: { service: name, pid: process.pid, hostname: hostname() },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { err: serializeError, error: serializeError },
    redact: { paths: [...redactPaths], censor: REDACTED },
  };
  return destination ? pino(options, destination) : pino(options);
}

// Tab is left alone: it cannot break a line and is common in pasted text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Escapes line breaks and other control characters in user-supplied text before it goes into
 * a log message, so it cannot forge extra log lines or terminal escape sequences for anyone
 * reading logs as plain text.
 */
export function sanitizeForLog(value: string): string {
  return value.replace(CONTROL_CHARS, (ch) => {
    if (ch === '\r') return '\\r';
    if (ch === '\n') return '\\n';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

// Errors from the API server carry the whole response; a log line or a status message needs
// only its code and message. Reading only `message` also keeps request bodies (which could hold
// Secret data) out of logs.

export interface ApiErrorLike {
  code?: number;
  body?: unknown;
  message?: string;
}

export function statusCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as ApiErrorLike).code;
  return typeof code === 'number' ? code : undefined;
}

export function isNotFound(err: unknown): boolean {
  return statusCode(err) === 404;
}

export function isConflict(err: unknown): boolean {
  return statusCode(err) === 409;
}

/** The API server's `Status.message`, or a short description of a non-API error. */
export function describeError(err: unknown): string {
  if (err instanceof ReconcileError) return err.message;
  if (typeof err !== 'object' || err === null) return String(err);
  const { code, body, message } = err as ApiErrorLike;
  const status = parseStatus(body);
  if (status?.message) return code ? `${status.message} (HTTP ${code})` : status.message;
  const firstLine = typeof message === 'string' ? (message.split('\n')[0] ?? '') : '';
  if (code) return firstLine ? `${firstLine} (HTTP ${code})` : `HTTP ${code}`;
  return firstLine || 'unknown error';
}

function parseStatus(body: unknown): { message?: string } | undefined {
  if (typeof body === 'string') {
    try {
      return parseStatus(JSON.parse(body));
    } catch {
      return undefined;
    }
  }
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const message = (body as { message: unknown }).message;
    return typeof message === 'string' ? { message } : undefined;
  }
  return undefined;
}

/**
 * Every reason a reconcile can fail with: the Degraded condition's reason and the `reason` label
 * of `ums_operator_reconcile_errors_total`, a closed set so that label stays small (and each is
 * exported at 0 from the start, so dashboards and alerts see the series before the first failure).
 */
export const reconcileErrorReasons = [
  'ApplyFailed',
  'CleanupFailed',
  'DeleteFailed',
  'DiscoveryFailed',
  'FinalizerUpdateFailed',
  'ReconcileError',
  'SecretCreateFailed',
  'SecretReadFailed',
  'StatusUpdateFailed',
  'WatchFailed',
  'Unknown',
] as const;
export type ReconcileErrorReason = (typeof reconcileErrorReasons)[number];

/** An error with the step it happened in, e.g. "while applying auth Deployment: ...". */
// The cause is not kept: its response body must never reach a log through an error serializer.
export class ReconcileError extends Error {
  override readonly name = 'ReconcileError';
  readonly reason: ReconcileErrorReason;
  readonly code: number | undefined;

  constructor(reason: ReconcileErrorReason, context: string, cause: unknown) {
    super(`while ${context}: ${describeError(cause)}`);
    this.reason = reason;
    this.code = statusCode(cause);
  }
}

import { REQUEST_ID_HEADER } from './request-id.ts';

export interface FetchOptions {
  readonly timeoutMs: number;
  readonly requestId: string;
}

/** GET against an upstream with a hard deadline, so one hung service cannot stall the gateway. */
export function fetchUpstream(
  origin: string,
  path: string,
  options: FetchOptions,
): Promise<Response> {
  return fetch(new URL(path, origin), {
    headers: { accept: 'application/json', [REQUEST_ID_HEADER]: options.requestId },
    signal: AbortSignal.timeout(options.timeoutMs),
    redirect: 'manual',
  });
}

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/**
 * `fetch` reports every network failure as "fetch failed"; the cause holds the useful code.
 * Duck-typed because errors may come from another realm (e.g. under Jest) and fail instanceof.
 */
export function describeError(error: unknown): string {
  const message = property(error, 'message');
  const code = property(property(error, 'cause'), 'code');
  const text = typeof message === 'string' ? message : String(error);
  return typeof code === 'string' ? `${text} (${code})` : text;
}

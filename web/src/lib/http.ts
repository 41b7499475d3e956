// The small typed HTTP layer shared by every feature: JSON in, JSON out, and RFC 9457
// problem+json errors turned into an ApiError with the server's stable `code`.

export interface ProblemFieldError {
  path: string;
  code: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: readonly ProblemFieldError[];
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: string,
    errors: ProblemFieldError[] = [],
    retryAfter = null as number | null,
  ) {
    super(`${status} ${code}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.retryAfter = retryAfter;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  accessToken?: string | null;
  credentials?: RequestCredentials;
  signal?: AbortSignal;
}

export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.accessToken) headers.Authorization = `Bearer ${options.accessToken}`;
  const init: RequestInit = {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    credentials: options.credentials ?? 'same-origin',
  };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  const response = await fetch(path, init);
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function toApiError(response: Response): Promise<ApiError> {
  const retryAfterHeader = response.headers.get('Retry-After');
  const retryAfter = retryAfterHeader === null ? null : Number(retryAfterHeader) || null;
  try {
    const body = (await response.json()) as { code?: unknown; errors?: unknown };
    const code = typeof body.code === 'string' ? body.code : 'http.unknown';
    const errors = Array.isArray(body.errors) ? (body.errors as ProblemFieldError[]) : [];
    return new ApiError(response.status, code, errors, retryAfter);
  } catch {
    return new ApiError(response.status, 'http.unknown', [], retryAfter);
  }
}

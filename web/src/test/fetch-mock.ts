import { vi } from 'vitest';

export interface Call {
  url: string;
  init: RequestInit;
}

export type Route = (call: Call) => Response | Promise<Response>;

export function json(status: number, body: unknown): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

/** Stubs global fetch with a function of the call; returns the recorded calls. */
export function mockFetch(route: Route): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const call = { url: String(input), init };
      calls.push(call);
      return route(call);
    }),
  );
  return calls;
}

export function bearerOf(call: Call): string | undefined {
  // Plain records (requestJson) and Headers objects (session.fetch) alike.
  return new Headers(call.init.headers).get('Authorization') ?? undefined;
}

import { ApiError, requestJson, toApiError, type RequestOptions } from '../http.ts';
import type { SessionUser, TokenResponse } from './session-types.ts';

export type SessionStatus = 'unknown' | 'authenticated' | 'anonymous' | 'expired';

export interface SessionSnapshot {
  status: SessionStatus;
  user: SessionUser | null;
  /** The last refresh could not reach the server (network, 5xx): a retry is scheduled. */
  offline: boolean;
}

interface SessionManagerOptions {
  /** Seconds before `expiresIn` runs out at which the proactive refresh fires. */
  refreshLeadSeconds?: number;
  /** Serialises refreshes across tabs; defaults to the Web Locks API when present. */
  crossTabLock?: <T>(task: () => Promise<T>) => Promise<T>;
  /** First retry after a refresh that could not reach the server, in ms; doubles up to 60 s. */
  retryBaseMs?: number;
}

const RETRY_MAX_MS = 60_000;

/** Thrown fetches (network down) and 5xx answers say nothing about the session: retry later. */
function isUnreachable(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status >= 500;
}

const REFRESH_PATH = '/api/v1/auth/refresh';

function defaultCrossTabLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  // The refresh cookie is shared by every tab: two tabs refreshing with one cookie would be seen
  // as token reuse and end the session, so refreshes queue behind one lock.
  return locks ? locks.request('ums-session-refresh', task) : task();
}

/**
 * Holds the access token in memory only (never storage), refreshes it through the httpOnly
 * cookie shortly before expiry and on a 401, and shares ONE in-flight refresh between callers:
 * the server revokes the whole session when a refresh token is presented twice.
 */
export class SessionManager {
  #accessToken: string | null = null;
  #snapshot: SessionSnapshot = { status: 'unknown', user: null, offline: false };
  #inFlight: Promise<string | null> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retryMs: number;
  readonly #retryBaseMs: number;
  readonly #listeners = new Set<() => void>();
  readonly #leadSeconds: number;
  readonly #lock: <T>(task: () => Promise<T>) => Promise<T>;

  constructor(options: SessionManagerOptions = {}) {
    this.#leadSeconds = options.refreshLeadSeconds ?? 60;
    this.#lock = options.crossTabLock ?? defaultCrossTabLock;
    this.#retryBaseMs = options.retryBaseMs ?? 2_000;
    this.#retryMs = this.#retryBaseMs;
    // Back online: retry a pending refresh at once rather than at the end of its back-off.
    if (typeof window !== 'undefined') {
      window.addEventListener('online', () => {
        if (this.#snapshot.offline) void this.refresh();
      });
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.#snapshot;

  get accessToken(): string | null {
    return this.#accessToken;
  }

  /** Stores a login/refresh answer and schedules the next refresh. */
  signIn(tokens: TokenResponse): void {
    this.#accessToken = tokens.accessToken;
    this.#retryMs = this.#retryBaseMs;
    this.#schedule(tokens.expiresIn);
    this.#set({ status: 'authenticated', user: tokens.user, offline: false });
  }

  /** Forgets the session locally; `expired` tells the UI to send the user back to sign-in. */
  clear(status: 'anonymous' | 'expired' = 'anonymous'): void {
    this.#accessToken = null;
    clearTimeout(this.#timer);
    this.#set({ status, user: null, offline: false });
  }

  /** Restores a session after a page load from the refresh cookie, if there is one. */
  async restore(): Promise<boolean> {
    if (this.#snapshot.status === 'authenticated') return true;
    return (await this.refresh({ quiet: true })) !== null;
  }

  /** One shared refresh: parallel callers all await the same request. */
  refresh(options: { quiet?: boolean } = {}): Promise<string | null> {
    this.#inFlight ??= this.#lock(() => this.#doRefresh(options.quiet ?? false)).finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /** An authorised request: bearer token, one refresh-and-retry on a 401. */
  async request<T>(path: string, options: Omit<RequestOptions, 'accessToken'> = {}): Promise<T> {
    const tokenUsed = this.#accessToken ?? (await this.refresh());
    try {
      return await requestJson<T>(path, { ...options, accessToken: tokenUsed });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      const fresh = await this.#tokenAfter401(tokenUsed);
      if (!fresh) throw error;
      return requestJson<T>(path, { ...options, accessToken: fresh });
    }
  }

  /**
   * An authorised raw request (multipart uploads, Blob downloads): the bearer token is added and a
   * 401 gets the same one shared refresh and one retry as `request`. Any other answer, error or
   * not, is returned as it is (`toApiError` turns a problem+json into an ApiError). The body must
   * be replayable (FormData, Blob, string), since a retry sends it again.
   */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const send = (token: string | null) => {
      const headers = new Headers(init.headers);
      if (token) headers.set('Authorization', `Bearer ${token}`);
      return fetch(path, { credentials: 'same-origin', ...init, headers });
    };
    const tokenUsed = this.#accessToken ?? (await this.refresh());
    const response = await send(tokenUsed);
    if (response.status !== 401) return response;
    const fresh = await this.#tokenAfter401(tokenUsed);
    return fresh ? send(fresh) : response;
  }

  /**
   * The token to retry with after `tokenUsed` got a 401. Another caller may already have refreshed
   * while the request was out: reuse its token instead of spending the (already rotated) refresh
   * cookie a second time.
   */
  #tokenAfter401(tokenUsed: string | null): Promise<string | null> {
    return this.#accessToken && this.#accessToken !== tokenUsed
      ? Promise.resolve(this.#accessToken)
      : this.refresh();
  }

  async #doRefresh(quiet: boolean): Promise<string | null> {
    try {
      const response = await fetch(REFRESH_PATH, {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: '{}',
      });
      if (!response.ok) throw await toApiError(response);
      const tokens = (await response.json()) as TokenResponse;
      this.signIn(tokens);
      return tokens.accessToken;
    } catch (error) {
      if (isUnreachable(error)) {
        // The server was not reached, so nothing is known about the session: keep it (and the
        // page), show the offline state and try again with back-off. Signing out here would
        // send a user on a flaky network back to sign-in with a session that is still valid.
        this.#retryLater();
        return null;
      }
      // A page load without a cookie is simply signed out; a refused refresh mid-session means
      // the session ended and the user goes back to sign-in with the current page remembered.
      this.clear(quiet || this.#snapshot.status !== 'authenticated' ? 'anonymous' : 'expired');
      return null;
    }
  }

  #retryLater(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.refresh(), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
    if (!this.#snapshot.offline) this.#set({ ...this.#snapshot, offline: true });
  }

  #schedule(expiresIn: number): void {
    clearTimeout(this.#timer);
    const delaySeconds = Math.max(expiresIn - this.#leadSeconds, expiresIn / 2, 5);
    this.#timer = setTimeout(() => void this.refresh(), delaySeconds * 1000);
  }

  #set(snapshot: SessionSnapshot): void {
    this.#snapshot = snapshot;
    for (const listener of this.#listeners) listener();
  }
}

export const session = new SessionManager();

import { afterEach, describe, expect, it, vi } from 'vitest';
import { bearerOf, json, mockFetch } from '../../test/fetch-mock.ts';
import { SessionManager } from './session-manager.ts';

const user = { id: 'u1', email: 'ada@example.com', role: 'user' };
const tokens = (accessToken: string, expiresIn = 900) => ({
  accessToken,
  expiresIn,
  tokenType: 'Bearer',
  user,
});
const noLock = <T>(task: () => Promise<T>) => task();

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('SessionManager', () => {
  it('when two parallel requests get a 401, then exactly one refresh is made and both retry with the new token', async () => {
    let release: () => void = () => undefined;
    const refreshGate = new Promise<void>((resolve) => (release = resolve));
    const calls = mockFetch(async (call) => {
      if (call.url === '/api/v1/auth/refresh') {
        await refreshGate;
        return json(200, tokens('new-token'));
      }
      return bearerOf(call) === 'Bearer new-token'
        ? json(200, { ok: call.url })
        : json(401, { code: 'auth.invalid_token' });
    });
    const manager = new SessionManager({ crossTabLock: noLock });
    manager.signIn(tokens('old-token'));

    const both = Promise.all([manager.request('/api/v1/a'), manager.request('/api/v1/b')]);
    await vi.waitFor(() => expect(calls.filter((c) => c.url.includes('refresh'))).toHaveLength(1));
    release();

    await expect(both).resolves.toEqual([{ ok: '/api/v1/a' }, { ok: '/api/v1/b' }]);
    const refreshes = calls.filter((c) => c.url === '/api/v1/auth/refresh');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]?.init).toMatchObject({
      method: 'POST',
      credentials: 'include',
      body: '{}',
    });
  });

  it('when a 401 arrives after another caller already refreshed, then the new token is reused without a second refresh', async () => {
    let refreshes = 0;
    mockFetch(async (call) => {
      if (call.url === '/api/v1/auth/refresh') {
        refreshes += 1;
        return json(200, tokens(`token-${refreshes}`));
      }
      if (call.url === '/slow' && bearerOf(call) === 'Bearer old') {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return bearerOf(call) === 'Bearer old'
        ? json(401, { code: 'auth.invalid_token' })
        : json(200, {});
    });
    const manager = new SessionManager({ crossTabLock: noLock });
    manager.signIn(tokens('old'));

    await Promise.all([manager.request('/fast'), manager.request('/slow')]);
    expect(refreshes).toBe(1);
  });

  it('when the refresh is refused mid-session, then the status becomes expired and the request fails', async () => {
    mockFetch((call) =>
      call.url === '/api/v1/auth/refresh'
        ? json(401, { code: 'auth.invalid_refresh_token' })
        : json(401, { code: 'auth.invalid_token' }),
    );
    const manager = new SessionManager({ crossTabLock: noLock });
    manager.signIn(tokens('old'));

    await expect(manager.request('/api/v1/auth/me')).rejects.toMatchObject({
      status: 401,
      code: 'auth.invalid_token',
    });
    expect(manager.getSnapshot()).toEqual({ status: 'expired', user: null, offline: false });
    expect(manager.accessToken).toBeNull();
  });

  it('when the refresh cannot reach the server mid-session, then the session is kept, shown offline, and retried until it works', async () => {
    vi.useFakeTimers();
    let network = false;
    const calls = mockFetch((call) => {
      if (!network) throw new TypeError('Failed to fetch');
      return call.url === '/api/v1/auth/refresh' ? json(200, tokens('after')) : json(200, {});
    });
    const manager = new SessionManager({ crossTabLock: noLock, retryBaseMs: 1_000 });
    manager.signIn(tokens('before'));

    await expect(manager.refresh()).resolves.toBeNull();
    expect(manager.getSnapshot()).toEqual({ status: 'authenticated', user, offline: true });
    expect(manager.accessToken).toBe('before');
    await vi.advanceTimersByTimeAsync(1_000); // the first retry, still offline: back-off doubles
    expect(calls).toHaveLength(2);
    network = true;
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    expect(manager.getSnapshot()).toEqual({ status: 'authenticated', user, offline: false });
    expect(manager.accessToken).toBe('after');
    manager.clear();
  });

  it('when a page loads while the API answers 503, then it waits offline instead of signing out, and a later 401 signs out', async () => {
    vi.useFakeTimers();
    let answer = 503;
    mockFetch(() =>
      json(answer, {
        code: answer === 503 ? 'service.unavailable' : 'auth.refresh_token_required',
      }),
    );
    const manager = new SessionManager({ crossTabLock: noLock, retryBaseMs: 1_000 });

    await expect(manager.restore()).resolves.toBe(false);
    expect(manager.getSnapshot()).toEqual({ status: 'unknown', user: null, offline: true });
    answer = 401;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(manager.getSnapshot()).toEqual({ status: 'anonymous', user: null, offline: false });
  });

  it('when the access token nears expiry, then it is refreshed before it runs out', async () => {
    vi.useFakeTimers();
    const calls = mockFetch(() => json(200, tokens('next', 900)));
    const manager = new SessionManager({ crossTabLock: noLock, refreshLeadSeconds: 60 });
    manager.signIn(tokens('first', 900));

    await vi.advanceTimersByTimeAsync(839_000);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/refresh']);
    expect(manager.accessToken).toBe('next');
    manager.clear();
  });

  it('when a raw fetch gets a 401, then it refreshes once, resends the same body and returns the answer as it is', async () => {
    const calls = mockFetch((call) => {
      if (call.url === '/api/v1/auth/refresh') return json(200, tokens('fresh'));
      if (bearerOf(call) !== 'Bearer fresh') return json(401, { code: 'auth.invalid_token' });
      return new Response('file', { status: 200 });
    });
    const manager = new SessionManager({ crossTabLock: noLock });
    manager.signIn(tokens('stale'));
    const body = new FormData();
    body.append('avatar', new Blob(['x']), 'a.png');

    const response = await manager.fetch('/api/v1/users/me/avatar', { method: 'PUT', body });

    expect(await response.text()).toBe('file');
    const uploads = calls.filter((c) => c.url === '/api/v1/users/me/avatar');
    expect(uploads.map(bearerOf)).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(uploads[1]?.init.body).toBe(body);
    expect(calls.filter((c) => c.url === '/api/v1/auth/refresh')).toHaveLength(1);
    manager.clear();
  });

  it('when a raw fetch is refused for another reason, then the error answer is returned without a refresh', async () => {
    const calls = mockFetch(() => json(413, { code: 'avatar.too_large' }));
    const manager = new SessionManager({ crossTabLock: noLock });
    manager.signIn(tokens('good'));

    const response = await manager.fetch('/api/v1/users/me/avatar', { method: 'PUT' });

    expect(response.status).toBe(413);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/users/me/avatar']);
    manager.clear();
  });

  it('when a page loads without a refresh cookie, then restore leaves the user anonymous', async () => {
    mockFetch(() => json(401, { code: 'auth.refresh_token_required' }));
    const manager = new SessionManager({ crossTabLock: noLock });
    await expect(manager.restore()).resolves.toBe(false);
    expect(manager.getSnapshot().status).toBe('anonymous');
  });
});

import { describe, expect, it } from 'vitest';
import { decide, isNetworkOnlyPath, isPrecacheable, type RequestLike } from './sw-policy.ts';

const origin = 'https://ums.example.com';
const precached = new Set(['/index.html', '/assets/index-abc123.js', '/theme-init.js']);
const get = (path: string, mode = 'cors'): RequestLike => ({
  url: `${origin}${path}`,
  method: 'GET',
  mode,
});

describe('service worker policy', () => {
  it('when a page of the app is opened, then the cached app shell answers', () => {
    for (const path of ['/', '/login', '/admin/users/42?tab=roles', '/reset-password#token=x'])
      expect(decide(get(path, 'navigate'), origin, precached)).toBe('app-shell');
  });

  it('when an API or .well-known URL is requested in any mode, then it always goes to the network', () => {
    for (const path of [
      '/api',
      '/api/v1/auth/me',
      '/api/v1/auth/oidc/google/callback?code=1&state=2',
      '/.well-known/jwks.json',
      '/.well-known/openid-configuration',
    ]) {
      for (const mode of ['navigate', 'cors', 'same-origin', 'no-cors'])
        expect(decide(get(path, mode), origin, precached)).toBe('network');
    }
  });

  it('when an API path is (wrongly) in the precache list, then it still goes to the network', () => {
    const polluted = new Set([...precached, '/api/v1/auth/me']);
    expect(decide(get('/api/v1/auth/me'), origin, polluted)).toBe('network');
  });

  it('when a precached build file is requested, then the cache answers', () => {
    expect(decide(get('/assets/index-abc123.js'), origin, precached)).toBe('precached');
    expect(decide(get('/theme-init.js'), origin, precached)).toBe('precached');
  });

  it('when a request is not a GET, then the worker stays out of it', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'])
      expect(decide({ ...get('/login', 'navigate'), method }, origin, precached)).toBe('network');
  });

  it('when a request goes to another origin, then the worker stays out of it', () => {
    const other = {
      url: 'https://accounts.google.com/o/oauth2/auth',
      method: 'GET',
      mode: 'navigate',
    };
    expect(decide(other, origin, precached)).toBe('network');
  });

  it('when a file that is not precached is fetched (an older chunk, /healthz), then it goes to the network', () => {
    expect(decide(get('/assets/index-old999.js'), origin, precached)).toBe('network');
    expect(decide(get('/healthz'), origin, precached)).toBe('network');
  });

  it('when a path only starts like an API prefix, then it is not treated as one', () => {
    expect(isNetworkOnlyPath('/api-docs')).toBe(false);
    expect(isNetworkOnlyPath('/apis')).toBe(false);
    expect(decide(get('/apiary', 'navigate'), origin, precached)).toBe('app-shell');
  });

  it('when the build lists its files, then only app files are kept for the precache', () => {
    const kept = [
      'index.html',
      'assets/index-abc123.js',
      'assets/index-abc123.js.map',
      'assets/index-abc.css',
      '.vite/manifest.json',
      'sw.js',
      'manifest.webmanifest',
      'icons/icon-192.png',
      'api/v1/openapi.json',
    ].filter(isPrecacheable);
    expect(kept).toEqual([
      'index.html',
      'assets/index-abc123.js',
      'assets/index-abc.css',
      'manifest.webmanifest',
      'icons/icon-192.png',
    ]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nginxSecurityHeaders } from '../../../web/nginx/security-headers.ts';
import { buildWeb, startNginx, type RunningNginx } from './built-web.ts';
import { initialLoad, readManifest, staticGraph } from './initial-js.ts';

/** `script-src 'self'` etc. as a map from directive to its sources. */
function directives(csp: string | null): Map<string, string> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name = '', ...sources] = d.split(/\s+/);
        return [name, sources.join(' ')];
      }),
  );
}

describe('web app behind the image nginx config (real nginx, fresh build)', () => {
  let dist: string;
  let nginx: RunningNginx;
  let entryFile: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'ums-web-dist-'));
    buildWeb(dist);
    const manifest = readManifest(dist);
    entryFile = manifest[staticGraph(manifest)[0] ?? '']?.file ?? '';
    nginx = await startNginx(dist);
  }, 180_000);

  afterAll(async () => {
    await nginx?.stop();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${nginx.url}${path}`, { headers, redirect: 'manual' });

  it('when the app is built, then what /login loads before any interaction stays within its budget', () => {
    // docs/web-delivery.md: 168 kB before the split, 152 kB after; the 105 kB goal needs a
    // lighter router or i18n. This guard stops the first download from growing back unnoticed.
    const budgetKb = 160;
    const load = initialLoad(dist);
    const kb = load.jsGzip / 1000;
    if (kb > budgetKb) {
      const sizes = load.js.map((f) => `${f.file} ${(f.gzip / 1000).toFixed(1)} kB`).join(', ');
      throw new Error(`/login loads ${kb} kB gzip of JavaScript (budget ${budgetKb}): ${sizes}`);
    }
    expect(kb).toBeLessThanOrEqual(budgetKb);
    expect(load.js.length).toBeGreaterThan(1);
  });

  it('when /login is requested, then the app shell comes with the strict CSP and the security headers', async () => {
    const res = await get('/login');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = directives(res.headers.get('content-security-policy'));
    expect(Object.fromEntries(csp)).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data: blob:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'manifest-src': "'self'",
      'worker-src': "'self'",
      'frame-ancestors': "'none'",
      'base-uri': "'self'",
      'form-action': "'self'",
      'object-src': "'none'",
    });
    expect(res.headers.get('strict-transport-security')).toMatch(
      /^max-age=\d{8,}; includeSubDomains$/,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('permissions-policy')).toContain('camera=()');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('server')).toBe('nginx');
    // The list the dev server and the gateway send (read from the template) is what nginx sends.
    for (const [name, value] of Object.entries(nginxSecurityHeaders()))
      expect([name, res.headers.get(name)]).toEqual([name, value]);
  });

  it('when the served index.html is read, then every script is an external same-origin file and nothing is inline', async () => {
    const html = await (await get('/')).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThanOrEqual(2); // theme-init.js and the entry
    for (const [, attributes = '', body = ''] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/[^/]/);
      expect(body.trim()).toBe('');
    }
    expect(html).toContain(`src="/${entryFile}"`);
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it('when a hashed asset is requested, then it is gzipped JavaScript cached for a year as immutable', async () => {
    const res = await get(`/${entryFile}`, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^(application|text)\/javascript/);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('when a hashed asset does not exist, then the answer is a real 404 that is not cached', async () => {
    const res = await get('/assets/index-DoesNotExist.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).not.toContain('<div id="root">');
  });

  it('when a client-side route is opened directly, then the app shell answers (SPA fallback)', async () => {
    for (const path of ['/admin/users/42', '/reset-password', '/profile?tab=avatar']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root"></div>');
    }
  });

  it('when a static public file is requested, then it is served as it is and revalidated', async () => {
    const res = await get('/theme-init.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('ums.theme');
  });

  it('when the web manifest is requested, then it is revalidated manifest JSON whose icons all exist', async () => {
    const res = await get('/manifest.webmanifest');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const manifest = (await res.json()) as {
      display: string;
      start_url: string;
      icons: { src: string; sizes: string; purpose: string }[];
    };
    expect(manifest.display).toBe('standalone');
    expect(manifest.start_url).toBe('/');
    for (const purpose of ['any', 'maskable'])
      for (const size of ['192x192', '512x512'])
        expect(manifest.icons).toContainEqual(expect.objectContaining({ sizes: size, purpose }));
    for (const icon of manifest.icons) {
      const image = await get(icon.src);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toMatch(/^image\//);
    }
  });

  it('when the service worker is requested, then it is revalidated and precaches the shell but nothing of the APIs', async () => {
    const res = await get('/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const urls = [...(await res.text()).matchAll(/"?url"?:\s*"([^"]+)"/g)].map((m) => `/${m[1]}`);
    const manifest = readManifest(dist);
    const firstDownload = staticGraph(manifest).map((key) => `/${manifest[key]?.file ?? ''}`);
    expect(urls).toEqual(expect.arrayContaining(['/index.html', ...firstDownload]));
    expect(urls.filter((u) => /^\/(api|\.well-known)\/|\.map$|^\/\.vite\//.test(u))).toEqual([]);
  });

  it('when the probes call /healthz and /health, then both answer ok', async () => {
    for (const path of ['/healthz', '/health']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok\n');
    }
  });

  it('when an API path reaches the web server, then it gets a problem+json 404, not the app shell', async () => {
    for (const path of ['/api/v1/auth/me', '/.well-known/jwks.json']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(((await res.json()) as { code: string }).code).toBe('http.not_found');
    }
  });
});

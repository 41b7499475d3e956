// What `npm start` serves on :3000 (the Vite dev server) and :8000 (the gateway: its Swagger UI,
// /health and problems, and the app proxied to the dev server) carries the security headers of
// the image's nginx config, and the pages still work under that CSP in Chromium.
import type { Browser } from 'playwright-core';
import { nginxSecurityHeaders, parseCsp } from '../../../web/nginx/security-headers.ts';
import { launchBrowser } from '../e2e/browser.ts';
import { createGateway } from '../gateway/create-gateway.ts';
import { startServer, type RunningServer } from '../gateway/test-servers.ts';
import { freePort } from '../web-delivery/built-web.ts';
import { startDevServer, type RunningDevServer } from './dev-server.ts';

const nginx = nginxSecurityHeaders();
const nginxCsp = parseCsp(nginx['Content-Security-Policy'] ?? '');

/** Every nginx header but the CSP, with nginx's value; the CSP's directives, with its sources. */
function compare(headers: Headers) {
  const others = Object.fromEntries(
    Object.keys(nginx)
      .filter((name) => name !== 'Content-Security-Policy')
      .map((name) => [name, headers.get(name)]),
  );
  return { others, csp: parseCsp(headers.get('content-security-policy') ?? '') };
}

const expectedOthers = Object.fromEntries(
  Object.entries(nginx).filter(([name]) => name !== 'Content-Security-Policy'),
);

/** The CSP equals nginx's but for sources added to `added`; nothing is relaxed to unsafe-inline. */
function expectNginxCsp(csp: Map<string, string[]>, added: readonly string[] = []) {
  expect([...csp.keys()]).toEqual([...nginxCsp.keys()]);
  for (const [name, sources] of nginxCsp) {
    const got = csp.get(name) ?? [];
    expect([name, got.slice(0, sources.length)]).toEqual([name, sources]);
    if (!added.includes(name)) expect([name, got]).toEqual([name, sources]);
    expect(got).not.toContain("'unsafe-inline'");
    expect(got).not.toContain("'unsafe-eval'");
  }
}

describe('security headers of the local stack (dev server and gateway, as npm start runs them)', () => {
  let devServer: RunningDevServer;
  let gateway: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const gatewayPort = await freePort();
    devServer = await startDevServer(gatewayPort);
    gateway = await startServer(createGateway({ upstreams: { web: devServer.url } }), gatewayPort);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await devServer?.stop();
  });

  it('when the nginx template is read, then it yields the headers production sends', () => {
    expect(nginx).toMatchObject({
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
    });
    expect(nginxCsp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(nginxCsp.get('script-src')).toEqual(["'self'"]);
  });

  it('when the app, its modules and styles are served by the dev server or through the gateway, then they carry nginx headers, the CSP adding only a nonce and the HMR socket', async () => {
    for (const origin of [devServer.url, gateway.url]) {
      for (const path of ['/', '/login', '/src/main.tsx', '/src/styles.css', '/@vite/client']) {
        const res = await fetch(`${origin}${path}`);
        await res.body?.cancel();
        const { others, csp } = compare(res.headers);
        expect([origin, path, others]).toEqual([origin, path, expectedOthers]);
        expectNginxCsp(csp, ['script-src', 'style-src', 'connect-src']);
        const nonce = csp.get('script-src')?.[1];
        expect(nonce).toMatch(/^'nonce-[A-Za-z0-9+/]{22}=='$/);
        expect(csp.get('style-src')).toEqual(["'self'", nonce]);
        // Only the dev server's own HMR socket (its port, on either loopback name) is added.
        const port = new URL(devServer.url).port;
        expect(csp.get('connect-src')).toEqual([
          "'self'",
          `ws://localhost:${port}`,
          `ws://127.0.0.1:${port}`,
        ]);
      }
    }
  });

  it("when the gateway's own pages and answers are asked for, then they carry nginx headers; Swagger UI's CSP adds only the hashes of its inline styles", async () => {
    for (const path of [
      '/health',
      '/api-docs/openapi.json',
      '/api/v1/nothing',
      '/api-docs/swagger-ui.css',
    ]) {
      const res = await fetch(`${gateway.url}${path}`);
      await res.body?.cancel();
      const { others, csp } = compare(res.headers);
      expect([path, others]).toEqual([path, expectedOthers]);
      expectNginxCsp(csp);
    }
    const docs = await fetch(`${gateway.url}/api-docs/`);
    const html = await docs.text();
    expect(html).toContain('swagger-ui-init.js');
    const { others, csp } = compare(docs.headers);
    expect(others).toEqual(expectedOthers);
    expectNginxCsp(csp, ['style-src']);
    expect(csp.get('style-src')?.slice(1)).toEqual([
      "'unsafe-hashes'",
      ...Array.from({ length: 3 }, () => expect.stringMatching(/^'sha256-[A-Za-z0-9+/]{43}='$/)),
    ]);
  });

  it('when Chromium opens the app (dev server and gateway) and Swagger UI, then they render with no CSP violation', async () => {
    const pages = [
      { url: `${devServer.url}/login`, ready: 'h1' },
      { url: `${gateway.url}/login`, ready: 'h1' },
      { url: `${gateway.url}/api-docs/`, ready: '.swagger-ui .info' },
    ];
    for (const { url, ready } of pages) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          console.error(
            `Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`,
          );
        });
      });
      await page.goto(url);
      await page.locator(ready).first().waitFor({ timeout: 30_000 });
      // The dev server's styles are applied (a blocked <style> would leave the page unstyled).
      if (url.endsWith('/login')) {
        const styled = await page.evaluate(() => document.querySelectorAll('style[nonce]').length);
        expect(styled).toBeGreaterThan(0);
      }
      await page.waitForTimeout(500);
      expect([url, violations]).toEqual([url, []]);
      await context.close();
    }
  });
});

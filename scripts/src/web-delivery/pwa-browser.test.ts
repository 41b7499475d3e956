import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { requireEnv } from '../smoke/env.ts';
import { buildWeb, startNginx, type RunningNginx } from './built-web.ts';

// The production build in Debian Chromium behind the image's nginx config: the strict CSP must
// not block anything the app does, and the service worker must bring the app up offline.
describe('web app in a browser under the strict CSP, with its service worker', () => {
  let dist: string;
  let nginx: RunningNginx;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const violations: string[] = [];

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'ums-web-dist-'));
    buildWeb(dist);
    nginx = await startNginx(dist);
    browser = await chromium.launch({
      executablePath: requireEnv('CHROMIUM_PATH'),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    context = await browser.newContext();
    // Recorded by the page itself, so any directive the app trips over is caught.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __csp: string[] }).__csp ??= [];
        (window as unknown as { __csp: string[] }).__csp.push(
          `${e.violatedDirective} ${e.blockedURI}`,
        );
      });
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
        violations.push(m.text());
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  const recorded = async () => [
    ...violations,
    ...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])),
  ];

  it('when /login is opened, then the app renders with its theme script and no CSP violation', async () => {
    await page.goto(`${nginx.url}/login`);
    await page.getByRole('heading', { name: 'Sign in to your account' }).waitFor();
    // theme-init.js ran (it sets the colour scheme before React starts).
    expect(await page.evaluate(() => document.documentElement.style.colorScheme)).toMatch(
      /^(light|dark)$/,
    );
    await page.getByRole('link', { name: 'Create one' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    expect(await recorded()).toEqual([]);
  });

  it('when the app was opened once, then the service worker takes over and serves it offline', async () => {
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${nginx.url}/`);
    // The first page load is not controlled (no clients.claim); the next one is.
    await page.reload();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await context.setOffline(true);
    try {
      await page.goto(`${nginx.url}/forgot-password`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.goto(`${nginx.url}/login`);
      await page.getByRole('heading', { name: 'Sign in to your account' }).waitFor();
      // An API call is never answered from a cache: offline, it fails.
      const api = await page.evaluate(() =>
        fetch('/api/v1/auth/me').then(
          (r) => `status ${r.status}`,
          () => 'network error',
        ),
      );
      expect(api).toBe('network error');
    } finally {
      await context.setOffline(false);
    }
    expect(await recorded()).toEqual([]);
  });
});

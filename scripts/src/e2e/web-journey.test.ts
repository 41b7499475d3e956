// The web app in Debian Chromium against the real stack (auth, profile, gateway, Vite dev server
// on free ports, fresh databases): one user's journey and the admin's, in order, with axe and
// screenshots on every page visited.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inspectPage, launchBrowser } from './browser.ts';
import { mailedToken, startStack, type RunningStack } from './stack.ts';

describe('the web app in Chromium, against the real stack', () => {
  let stack: RunningStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const findings: string[] = [];
  const tag = `web${Date.now().toString(36)}`;
  const email = `${tag}@example.com`;
  const password = 'correct horse battery staple 9';

  const visit = async (path: string) => {
    await page.goto(`${stack.web}${path}`);
  };
  const inspect = async (name: string) => {
    findings.push(...(await inspectPage(page, name)));
  };
  const heading = () => page.getByRole('heading', { level: 1 });

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('when a visitor registers, then the form reports the mailed link', async () => {
    await visit('/register');
    await heading().waitFor();
    await inspect('register');
    await page.getByLabel('First name').fill('Wendy');
    await page.getByLabel('Last name').fill('Web');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Check your inbox').waitFor();
  });

  it('when the mailed verification link is opened, then the email is confirmed', async () => {
    const token = await mailedToken(stack.mailDir, email);
    await visit(`/verify-email#token=${encodeURIComponent(token)}`);
    await page.getByText('Your email address is confirmed.').waitFor();
    await inspect('verify-email');
  });

  it('when the user signs in, then the home page greets them by name', async () => {
    await visit('/login');
    await heading().waitFor();
    await inspect('sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Wendy Web' }).waitFor();
    expect(await page.getByText('Email verified').count()).toBe(1);
    await inspect('home');
  });

  it('when the language is switched to es, fr and ar, then the page changes live, sets lang and dir, and passes axe in Arabic', async () => {
    // The switcher's own label is translated too.
    const language = page.getByLabel(/^(Language|Idioma|Langue|اللغة)$/);
    const expected = { es: 'Hola', fr: 'Bienvenue', ar: 'مرحبًا' } as const;
    for (const [code, greeting] of Object.entries(expected)) {
      await language.selectOption(code);
      await page.waitForFunction((c) => document.documentElement.lang === c, code);
      expect(await heading().textContent()).toContain(greeting);
      expect(await page.evaluate(() => document.documentElement.dir)).toBe(
        code === 'ar' ? 'rtl' : 'ltr',
      );
    }
    await inspect('home-ar');
    await language.selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  });

  it('when the dark theme is chosen, then it applies at once and survives a reload without a flash', async () => {
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(
      true,
    );
    // No flash: with the app's own code held back, the head's theme-init script alone must
    // already have applied the saved theme.
    const appEntry = /\/(src\/main\.tsx|assets\/index-[^/]+\.js)(\?.*)?$/;
    await page.route(appEntry, (route) => route.abort());
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(
      true,
    );
    expect(await page.getByLabel('Theme').count()).toBe(0);
    await page.unroute(appEntry);
    await page.reload();
    await page.getByLabel('Theme').selectOption('system');
  });

  it('when the user signs out, then they are back on the sign-in page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to your account' }).waitFor();
  });

  it('then axe found no WCAG 2.1 A/AA violation on any page, width or theme', () => {
    expect(findings).toEqual([]);
  });
});

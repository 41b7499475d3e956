// Keyboard-only use and the Arabic (right-to-left) rendering of every page, in Debian Chromium
// against the real stack. The journey test covers the flows; this one covers how they are reached.
import type { Browser, Locator, Page } from 'playwright-core';
import { inspectPage, launchBrowser } from './browser.ts';
import { startStack, type RunningStack } from './stack.ts';

/** Presses Tab until `target` has the focus; fails after `limit` presses. */
async function tabTo(page: Page, target: Locator, limit = 40): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

const focusedTag = (page: Page) => page.evaluate(() => document.activeElement?.tagName ?? '');

describe('the web app by keyboard and in Arabic', () => {
  let stack: RunningStack;
  let browser: Browser;
  const findings: string[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('when a user signs in, moves between pages and opens and dismisses a dialog with the keyboard only, then focus follows every step', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${stack.web}/login`);
    const emailField = page.getByLabel('Email');
    await tabTo(page, emailField);
    await page.keyboard.type('john.doe@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('DemoUser123!');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /^Welcome, John/ }).waitFor();
    // After a client-side navigation the new page's heading has the focus (screen readers
    // announce it; the next Tab starts from there).
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');

    const securityLink = page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Security', exact: true });
    await tabTo(page, securityLink);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Security' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');

    const opener = page.getByRole('button', { name: 'Sign out everywhere' });
    await tabTo(page, opener);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Sign out everywhere?' });
    await dialog.waitFor();
    // A destructive question starts on Cancel, inside the dialog.
    expect(
      await dialog
        .getByRole('button', { name: 'Cancel' })
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await focusedTag(page)).toBe('BUTTON');
    await page.context().close();
  });

  // One browser tab in Arabic, shared by the three sweeps below (signed out, own pages, admin).
  let ar: Page;
  const look = async (name: string, path?: string) => {
    if (path) await ar.goto(`${stack.web}${path}`);
    await ar.getByRole('heading', { level: 1 }).waitFor();
    expect(await ar.evaluate(() => document.documentElement.dir)).toBe('rtl');
    findings.push(...(await inspectPage(ar, `ar-${name}`)));
  };

  it('when a visitor uses the app in Arabic, then the signed-out pages are right-to-left and pass axe in both themes', async () => {
    ar = await (await browser.newContext()).newPage();
    await ar.goto(`${stack.web}/login`);
    await ar.getByRole('banner').getByLabel('Language').selectOption('ar');
    await ar.waitForFunction(() => document.documentElement.dir === 'rtl');
    await look('sign-in');
    await look('register', '/register');
    await look('forgot-password', '/forgot-password');
  }, 120_000);

  it('when the admin signs in and uses their own pages in Arabic, then each is right-to-left and passes axe in both themes', async () => {
    await ar.goto(`${stack.web}/login`);
    await ar.locator('input[type="email"]').fill('admin@usermanagement.local');
    await ar.locator('input[type="password"]').fill('AdminPassword123!');
    await ar.locator('form button[type="submit"]').click();
    await ar.waitForURL(`${stack.web}/`);
    // Signing in applies the language saved in the profile (English for the seeded admin):
    // choosing Arabic again, signed in, saves it there.
    await ar.getByRole('heading', { level: 1, name: /^Welcome, / }).waitFor();
    await ar.getByRole('banner').getByLabel('Language').selectOption('ar');
    await ar.waitForFunction(() => document.documentElement.dir === 'rtl');
    await look('home');
    for (const name of ['profile', 'preferences', 'security', 'privacy'])
      await look(name, `/${name}`);
  }, 120_000);

  it('when the admin uses the console in Arabic, then every admin page is right-to-left and passes axe in both themes', async () => {
    for (const name of ['admin', 'admin/users', 'admin/roles', 'admin/audit']) {
      await look(name.replace('/', '-'), `/${name}`);
    }
    await ar.goto(`${stack.web}/admin/users`);
    await ar.locator('tbody a[href^="/admin/users/"]').first().click();
    await look('admin-user-detail');
    await ar.context().close();
  }, 120_000);

  it('then no page had an axe violation or scrolled sideways at 360 px', () => {
    expect(findings).toEqual([]);
  });
});

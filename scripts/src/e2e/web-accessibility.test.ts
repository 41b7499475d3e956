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

  it('when the admin uses the app in Arabic, then every page is right-to-left and passes axe in both themes', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${stack.web}/login`);
    await page.getByRole('banner').getByLabel('Language').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    const h1 = page.getByRole('heading', { level: 1 });
    const look = async (name: string) => {
      await h1.waitFor();
      expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      findings.push(...(await inspectPage(page, `ar-${name}`)));
    };
    for (const [name, path] of [
      ['sign-in', '/login'],
      ['register', '/register'],
      ['forgot-password', '/forgot-password'],
    ] as const) {
      await page.goto(`${stack.web}${path}`);
      await look(name);
    }
    await page.goto(`${stack.web}/login`);
    await page.locator('input[type="email"]').fill('admin@usermanagement.local');
    await page.locator('input[type="password"]').fill('AdminPassword123!');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL(`${stack.web}/`);
    // Signing in applies the language saved in the profile (English for the seeded admin):
    // choosing Arabic again, signed in, saves it there.
    await page.getByRole('heading', { level: 1, name: /^Welcome, / }).waitFor();
    await page.getByRole('banner').getByLabel('Language').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await look('home');
    for (const name of [
      'profile',
      'preferences',
      'security',
      'privacy',
      'admin',
      'admin/users',
      'admin/roles',
      'admin/audit',
    ]) {
      await page.goto(`${stack.web}/${name}`);
      await look(name.replace('/', '-'));
    }
    await page.goto(`${stack.web}/admin/users`);
    await page.locator('tbody a[href^="/admin/users/"]').first().click();
    await look('admin-user-detail');
    await page.context().close();
  });

  it('then no page had an axe violation or scrolled sideways at 360 px', () => {
    expect(findings).toEqual([]);
  });
});

// The web app in Debian Chromium against the real stack (auth, profile, gateway, Vite dev server
// on free ports, fresh databases): one user's journey and the admin's, in order, with axe and
// screenshots on every page visited.
import { readFileSync } from 'node:fs';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { inspectPage, launchBrowser } from './browser.ts';
import { mailedToken, startStack, type RunningStack } from './stack.ts';

// A small real PNG (the avatar pipeline decodes and re-encodes whatever it gets).
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Views fed by the event stream (directory, audit log) may lag a change by a moment: reloads the
 * page (whose h1 is `title`) until `target` is there, for up to about ten seconds.
 */
async function reloadUntilShown(page: Page, title: string, target: Locator): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    if ((await target.count()) > 0 || attempt === 20) return;
    await page.waitForTimeout(500);
    await page.reload();
  }
}

/** What an authenticator app shows `offsetSeconds` from now (SHA-1, 6 digits, 30 s). */
function totp(secret: string, offsetSeconds = 0): Promise<string> {
  return generate({
    secret,
    epoch: Math.floor(Date.now() / 1000) + offsetSeconds,
    algorithm: 'sha1',
    digits: 6,
    period: 30,
  });
}

describe('the web app in Chromium, against the real stack', () => {
  let stack: RunningStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const findings: string[] = [];
  const tag = `web${Date.now().toString(36)}`;
  const email = `${tag}@example.com`;
  const password = 'correct horse battery staple 9';
  let totpSecret = '';
  let recoveryCode = '';
  let admin: Page;

  const visit = async (path: string) => {
    await page.goto(`${stack.web}${path}`);
  };
  const inspect = async (name: string) => {
    findings.push(...(await inspectPage(page, name)));
  };
  const heading = () => page.getByRole('heading', { level: 1 });
  // The header's switchers and links (pages may have their own controls with the same names).
  const header = () => page.getByRole('banner');
  const navTo = (name: string) =>
    page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name, exact: true });

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    stack.remember(password);
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
    const answer = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/v1/auth/login' && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Wendy Web' }).waitFor();
    expect(await page.getByText('Email verified').count()).toBe(1);
    // Issue #19 (8): what the page's scripts can read holds no refresh token; it is HttpOnly.
    const signedIn = await answer;
    expect(Object.keys((await signedIn.json()) as object).sort()).toEqual([
      'accessToken',
      'expiresIn',
      'tokenType',
      'user',
    ]);
    expect(await signedIn.headerValue('set-cookie')).toMatch(/^ums_refresh=.*HttpOnly/i);
    expect(await page.evaluate(() => document.cookie)).not.toContain('ums_refresh');
    await inspect('home');
  });

  it('when the user edits their profile, then it is saved and shown after a reload', async () => {
    await navTo('Profile').click();
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
    await page.getByLabel('Display name').fill('Wendy W.');
    await page.getByLabel('Job title').fill('Platform engineer');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Your profile was saved.').waitFor();
    await page.reload();
    await page.getByLabel('Job title').waitFor();
    expect(await page.getByLabel('Job title').inputValue()).toBe('Platform engineer');
    await inspect('profile');
  });

  it('when the user picks a photo, then it is previewed, uploaded and served back', async () => {
    await page.getByLabel('Choose a photo').setInputFiles({
      name: 'me.png',
      mimeType: 'image/png',
      buffer: png,
    });
    await page.getByAltText('Preview of your new photo').waitFor();
    await page.getByRole('button', { name: 'Upload photo' }).click();
    await page.getByText('Your new photo was saved.').waitFor();
    const served = page.getByAltText('Your photo');
    await served.waitFor();
    await page.waitForFunction(
      () =>
        (document.querySelector('img[alt="Your photo"]') as HTMLImageElement | null)
          ?.naturalWidth ?? 0 > 0,
    );
    await inspect('profile-with-photo');
  });

  it('when the preferences page is opened, then it shows the saved language and theme', async () => {
    await visit('/preferences');
    await page.getByRole('heading', { level: 1, name: 'Preferences' }).waitFor();
    await page.getByLabel('Time zone').waitFor();
    await inspect('preferences');
  });

  it('when the language is switched to es, fr and ar, then the page changes live, sets lang and dir, and passes axe in Arabic', async () => {
    await navTo('Home').click();
    await page.getByRole('heading', { level: 1, name: /^Welcome, / }).waitFor();
    // The switcher's own label is translated too.
    const language = header().getByLabel(/^(Language|Idioma|Langue|اللغة)$/);
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
    // Signed in, the choice is saved to the profile: a fresh browser (no local storage) gets it
    // back after signing in.
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/users/me') && r.request().method() === 'PATCH' && r.ok(),
    );
    await language.selectOption('fr');
    await saved;
    const elsewhere = await browser.newContext();
    const other = await elsewhere.newPage();
    await other.goto(`${stack.web}/login`);
    await other.getByLabel('Email').fill(email);
    await other.getByLabel('Password').fill(password);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('heading', { level: 1, name: /^Bienvenue, / }).waitFor();
    expect(await other.evaluate(() => document.documentElement.lang)).toBe('fr');
    await elsewhere.close();
    await language.selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  });

  it('when the dark theme is chosen, then it applies at once and survives a reload without a flash', async () => {
    await header().getByLabel('Theme').selectOption('dark');
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
    expect(await header().getByLabel('Theme').count()).toBe(0);
    await page.unroute(appEntry);
    await page.reload();
    await header().getByLabel('Theme').selectOption('system');
  });

  it('when the session is ended from another browser, then the next load goes to sign-in and back to the page the user was on', async () => {
    await visit('/profile');
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
    const elsewhere = await browser.newContext();
    const other = await elsewhere.newPage();
    await other.goto(`${stack.web}/login`);
    await other.getByLabel('Email').fill(email);
    await other.getByLabel('Password').fill(password);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('heading', { level: 1, name: /^Welcome, / }).waitFor();
    await other.goto(`${stack.web}/security`);
    await other.getByRole('button', { name: 'Sign out everywhere' }).click();
    await other.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
    await other.getByRole('heading', { name: 'Sign in to your account' }).waitFor();
    await elsewhere.close();

    // The access token lived only in this page's memory: a reload needs the (now revoked)
    // refresh cookie, which is refused.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to your account' }).waitFor();
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/profile');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
  });

  it('when the user sets up TOTP with the shown key, then two-step verification is on and recovery codes are shown once', async () => {
    await navTo('Security').click();
    await page.getByRole('heading', { level: 1, name: 'Security' }).waitFor();
    await inspect('security');
    await page.getByRole('button', { name: 'Set up two-step verification' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    totpSecret = (await page.getByLabel('Setup key').inputValue()).replace(/\s+/g, '');
    expect(totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
    stack.remember(totpSecret);
    await inspect('security-totp-setup');
    await page.getByLabel('Code from your app').fill(await totp(totpSecret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    expect(await codes.count()).toBe(10);
    recoveryCode = ((await codes.first().textContent()) ?? '').trim();
    expect(recoveryCode).not.toBe('');
    stack.remember(recoveryCode);
    await inspect('security-recovery-codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText(/Two-step verification is on/).waitFor();
  });

  it('when the user signs out, then they are back on the sign-in page', async () => {
    await header().getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in to your account' }).waitFor();
  });

  it('when the user signs in again, then the TOTP step is asked for and a fresh code lets them in', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await inspect('sign-in-mfa');
    // The code used to turn TOTP on spent its 30 s step: the next step's code is the fresh one.
    await page.getByLabel('Verification code').fill(await totp(totpSecret, 30));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: /^Welcome, / }).waitFor();
  });

  it('when the admin opens the console, then the overview counts the new account', async () => {
    admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await admin.goto(`${stack.web}/login`);
    await admin.getByLabel('Email').fill('admin@usermanagement.local');
    await admin.getByLabel('Password').fill('AdminPassword123!');
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { level: 1, name: /^Welcome, / }).waitFor();
    await admin.getByRole('banner').getByRole('link', { name: 'Admin' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await admin
      .getByRole('img', { name: /^Registrations per day over the last 30 days: [1-9]/ })
      .waitFor();
    findings.push(...(await inspectPage(admin, 'admin-overview')));
  });

  it('when the admin searches the directory, then the user is found and their detail opens', async () => {
    // The directory is fed by events: the new profile may take a moment to appear.
    await admin.goto(`${stack.web}/admin/users?q=${tag}`);
    await reloadUntilShown(admin, 'Users', admin.getByRole('link', { name: /Wendy/ }));
    findings.push(...(await inspectPage(admin, 'admin-users')));
    await admin.getByRole('link', { name: /Wendy/ }).click();
    await admin.getByRole('heading', { level: 1, name: /Wendy/ }).waitFor();
    await admin.getByRole('heading', { name: 'Audit trail' }).waitFor();
    findings.push(...(await inspectPage(admin, 'admin-user-detail')));
  });

  it('when the admin suspends the user, then the user cannot sign in until reactivated', async () => {
    await admin.getByRole('button', { name: 'Suspend account' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Suspend account' }).click();
    await admin.getByText('The status is now: Suspended.').waitFor();

    await header().getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in to your account' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The email or password is incorrect.').waitFor();

    await admin.getByRole('button', { name: 'Activate account' }).click();
    await admin.getByText('The status is now: Active.').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await page.getByLabel('Verification code').fill(recoveryCode);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: /^Welcome, / }).waitFor();
  });

  it('when the admin changes the role in bulk, then a dry run previews it and applying reports each row', async () => {
    await admin.goto(`${stack.web}/admin/users?q=${tag}`);
    await admin.getByRole('checkbox', { name: /^Select Wendy/ }).check();
    await admin.getByLabel('Action', { exact: true }).selectOption({ label: 'Change role' });
    await admin.getByLabel('New role').selectOption('admin');
    await admin.getByRole('button', { name: 'Preview changes' }).click();
    await admin.getByText('Preview: 1 would succeed, 0 would be refused.').waitFor();
    await admin.getByText('Would change: user → admin').waitFor();
    findings.push(...(await inspectPage(admin, 'admin-bulk-preview')));
    // A role change is not destructive: it applies without a confirmation dialog.
    await admin.getByRole('button', { name: 'Apply changes' }).click();
    await admin.getByText('Done: 1 succeeded, 0 refused.').waitFor();
    await admin.getByText('Changed: user → admin').waitFor();
  });

  it('when the admin exports the directory as CSV, then the file lists the user', async () => {
    const download = admin.waitForEvent('download');
    await admin.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/email/i);
    expect(csv).toContain(email);
  });

  it('when the admin opens the audit log for the user, then the suspension, reactivation and role change are there', async () => {
    await admin.getByRole('link', { name: /Wendy/ }).click();
    await admin.getByRole('link', { name: 'Open in the audit log' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    // The audit log is written by the profile service from the event stream: allow it a moment.
    const table = admin.getByRole('table', { name: /Audit entries/ });
    await reloadUntilShown(admin, 'Audit log', table.getByText('Role changed'));
    expect(await table.getByText('Role changed').count()).toBeGreaterThanOrEqual(1);
    expect(await table.getByText('Status changed').count()).toBeGreaterThanOrEqual(2);
    findings.push(...(await inspectPage(admin, 'admin-audit')));
  });

  it('when the admin opens the roles editor, then the built-in roles are listed', async () => {
    await admin
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: 'Roles' })
      .click();
    await admin.getByRole('heading', { level: 1, name: 'Roles and permissions' }).waitFor();
    await admin.getByText('super_admin').first().waitFor();
    findings.push(...(await inspectPage(admin, 'admin-roles')));
  });

  it('when the user downloads their data, then one JSON file holds both the auth and the profile export', async () => {
    await navTo('Privacy').click();
    await page.getByRole('heading', { level: 1, name: 'Privacy' }).waitFor();
    await inspect('privacy');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download my data' }).click();
    const file = await (await download).path();
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      auth: { account: { email: string } };
      profile: { profile: { jobTitle: string } };
    };
    expect(data.auth.account.email).toBe(email);
    expect(data.profile.profile.jobTitle).toBe('Platform engineer');
    expect(JSON.stringify(data)).not.toContain(totpSecret);
  });

  it('when the user deletes their account with their password, then they land on sign-in and cannot sign in again', async () => {
    await page.getByRole('button', { name: 'Delete my account' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Password').fill(password);
    await dialog.getByRole('button', { name: 'Delete my account for good' }).click();
    await page.getByText('Your account was deleted.').waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The email or password is incorrect.').waitFor();
  });

  it('then axe found no WCAG 2.1 A/AA violation on any page, width or theme, and no page scrolled sideways at 360 px', () => {
    expect(findings).toEqual([]);
  });
});

// Debian Chromium driven by playwright-core, with the two checks every visited page gets: axe
// (WCAG 2.1 A/AA rules) and screenshots at phone and desktop widths in both colour schemes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { requireEnv } from '../smoke/env.ts';

const root = new URL('../../../', import.meta.url).pathname;
/** Git-ignored (`test-results/`): the screenshots are for people, not for assertions. */
export const screenshotDir = join(root, 'test-results', 'screenshots');

export const widths = [390, 1280] as const;
export const schemes = ['light', 'dark'] as const;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: requireEnv('CHROMIUM_PATH'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** Axe's WCAG 2.0/2.1 A and AA rules on the page as it is now; [] when it passes. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}

/**
 * Looks at the current page at each width and colour scheme, and checks it fits 360 px: saves a screenshot and collects any
 * axe finding, labelled with where it was seen. The viewport is restored afterwards.
 */
export async function inspectPage(page: Page, name: string): Promise<string[]> {
  mkdirSync(screenshotDir, { recursive: true });
  const original = page.viewportSize();
  const findings: string[] = [];
  const wasDark = await page.evaluate(() => document.documentElement.classList.contains('dark'));
  for (const scheme of schemes) {
    await page.emulateMedia({ colorScheme: scheme });
    // A theme the user picked (or their profile holds) wins over the system's: set the app's
    // switch directly so both themes are looked at whatever was chosen.
    await page.evaluate((dark) => {
      document.documentElement.classList.toggle('dark', dark);
      document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
    }, scheme === 'dark');
    for (const width of widths) {
      await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({
        path: join(screenshotDir, `${name}-${width}-${scheme}.png`),
        fullPage: true,
      });
      for (const v of await axeViolations(page)) {
        findings.push(
          `${name} @${width}px ${scheme}: ${v.id} (${v.impact}) ${v.help} → ${v.targets.join(', ')}`,
        );
      }
    }
  }
  // The narrowest phone the app supports: nothing may force sideways scrolling of the page.
  await page.setViewportSize({ width: 360, height: 780 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  if (overflow > 0) findings.push(`${name} @360px: the page scrolls sideways by ${overflow}px`);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.evaluate((dark) => {
    document.documentElement.classList.toggle('dark', dark);
    document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
  }, wasDark);
  if (original) await page.setViewportSize(original);
  return findings;
}

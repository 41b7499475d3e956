import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { requireEnv } from './env.ts';

const page = `<!doctype html><html lang="en"><head><title>Smoke</title></head><body>
<button id="b" onclick="document.getElementById('out').textContent = 'clicked ' + navigator.userAgent.includes('Chrome')">Go</button>
<p id="out">waiting</p></body></html>`;

describe('Chromium smoke test (Debian chromium driven by playwright-core)', () => {
  let server: Server;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: requireEnv('CHROMIUM_PATH'),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server.close(r));
  });

  it('when a local page is loaded and its button clicked, then the script runs and the DOM changes', async () => {
    const tab = await browser.newPage();
    await tab.goto(url);
    expect(await tab.title()).toBe('Smoke');
    await tab.getByRole('button', { name: 'Go' }).click();
    await expect(tab.locator('#out').textContent()).resolves.toBe('clicked true');
  });
});

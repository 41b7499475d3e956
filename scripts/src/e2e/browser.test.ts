import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { axeViolations, launchBrowser } from './browser.ts';

// The journey's accessibility verdict is only worth something if the check can fail.
const pages: Record<string, string> = {
  '/clean': `<!doctype html><html lang="en"><head><title>Clean</title></head><body><main>
    <h1>Clean</h1><label for="n">Name</label><input id="n"></main></body></html>`,
  '/broken': `<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>
    <h1>Broken</h1><input id="n"><img src="/x.png">
    <p style="color:#bbb;background:#fff">low contrast</p></main></body></html>`,
};

describe('the axe check used by the browser journey', () => {
  let server: Server;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(pages[req.url ?? ''] ?? '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server.close(r));
  });

  it('when a page has an unlabelled input, an image without alt and low contrast, then all three are reported', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/broken`);
    const ids = (await axeViolations(page)).map((v) => v.id).sort();
    expect(ids).toEqual(['color-contrast', 'image-alt', 'label']);
  });

  it('when a page is labelled and readable, then nothing is reported', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/clean`);
    expect(await axeViolations(page)).toEqual([]);
  });
});

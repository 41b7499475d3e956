import express from 'express';
import request from 'supertest';
import { httpLogger, stripQuery } from './http-logger.ts';
import { requestId } from './request-id.ts';
import { captureLogger } from './test-support.ts';

function setup() {
  const captured = captureLogger();
  const app = express();
  app.use(requestId());
  app.use(httpLogger(captured.logger));
  app.get('/users/:id', (req, res) => {
    req.log.info('inside handler');
    res.cookie('sid', 'session-cookie-value').json({ ok: true });
  });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/boom', (_req, res) => {
    res.status(500).json({ ok: false });
  });
  return { ...captured, app };
}

// The access line is written on the response's 'finish'/'close' events, which can trail the client's view.
async function waitForRecords(records: () => Record<string, unknown>[], count: number) {
  for (let i = 0; i < 50 && records().length < count; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return records();
}

describe('httpLogger', () => {
  it('when a request carries a query token and a bearer token, then neither value is logged', async () => {
    const { app, lines, records } = setup();
    await request(app)
      .get('/users/42?access_token=abc&x=1')
      .set('Authorization', 'Bearer xyz')
      .set('Cookie', 'sid=cookie-in')
      .set('Referer', 'https://app.example/reset?token=ref-token')
      .set('X-Request-Id', 'req-12345678')
      .expect(200);
    const [inHandler, access] = await waitForRecords(records, 2);
    const output = lines().join('\n');
    for (const secret of ['abc', 'xyz', 'cookie-in', 'session-cookie-value', 'ref-token']) {
      expect(output).not.toContain(secret);
    }
    expect(inHandler).toMatchObject({ msg: 'inside handler', requestId: 'req-12345678' });
    expect(access).toMatchObject({
      level: 'info',
      requestId: 'req-12345678',
      route: '/users/:id',
      req: {
        id: 'req-12345678',
        method: 'GET',
        url: '/users/42',
        headers: { authorization: '[REDACTED]', referer: 'https://app.example/reset' },
      },
      res: { statusCode: 200, headers: { 'set-cookie': '[REDACTED]' } },
    });
    expect(access?.msg).toMatch(/^GET \/users\/42 200 \d+ms$/);
    expect(typeof access?.responseTime).toBe('number');
    expect(access?.req).not.toHaveProperty('query');
  });

  it('when a response is 5xx, then it is logged at error level', async () => {
    const { app, records } = setup();
    await request(app).get('/boom').expect(500);
    const [record] = await waitForRecords(records, 1);
    expect(record).toMatchObject({ level: 'error', route: '/boom', res: { statusCode: 500 } });
  });

  it('when probe paths are requested, then they are not logged', async () => {
    const { app, records } = setup();
    await request(app).get('/health').expect(200);
    await request(app).get('/boom').expect(500);
    const all = await waitForRecords(records, 1);
    expect(all.map((r) => (r.req as { url: string }).url)).toEqual(['/boom']);
  });
});

describe('stripQuery', () => {
  it('when a URL has a query or fragment, then only the path is kept', () => {
    expect(stripQuery('/a/b?token=1')).toBe('/a/b');
    expect(stripQuery('/a#frag')).toBe('/a');
    expect(stripQuery('https://x.example/p?q')).toBe('https://x.example/p');
    expect(stripQuery('/plain')).toBe('/plain');
  });
});

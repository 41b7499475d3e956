import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { httpLogger, stripQuery } from './http-logger.ts';
import { requestId } from './request-id.ts';
import { captureLogger } from './test/test-support.ts';

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

  it('when req.log is read twice, then it is one child logger with the request id, and no own property of the request', async () => {
    const { logger, records } = captureLogger();
    const app = express();
    app.use(requestId());
    app.use(httpLogger(logger));
    app.get('/twice', (req, res) => {
      const first = req.log;
      res.json({
        same: first === req.log,
        // An accessor on Express's request prototype, not a property defined on each request
        // (that made request objects dictionary-mode and cost ~17 µs per request).
        ownLog: Object.getOwnPropertyNames(req).includes('log'),
      });
      first.info('from handler');
    });
    const res = await request(app).get('/twice').set('X-Request-Id', 'req-abcdefgh').expect(200);
    expect(res.body).toEqual({ same: true, ownLog: false });
    const [record] = await waitForRecords(records, 1);
    expect(record).toMatchObject({ msg: 'from handler', requestId: 'req-abcdefgh' });
  });

  it('when req.log is assigned, then the assigned logger is what req.log returns', async () => {
    const { logger } = captureLogger();
    const other = captureLogger();
    const app = express();
    app.use(httpLogger(logger));
    app.get('/assign', (req, res) => {
      req.log = other.logger;
      req.log.info('assigned');
      res.json({ ok: true });
    });
    await request(app).get('/assign').expect(200);
    expect(other.records()).toMatchObject([{ msg: 'assigned' }]);
  });

  it('when the client goes away before the response, then one line says aborted', async () => {
    const { logger, records } = captureLogger();
    const app = express();
    app.use(requestId());
    app.use(httpLogger(logger));
    let arrived!: () => void;
    const handlerReached = new Promise<void>((resolve) => (arrived = resolve));
    app.get('/slow', () => arrived()); // never answers
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const controller = new AbortController();
    const done = fetch(`http://127.0.0.1:${port}/slow`, { signal: controller.signal }).catch(
      () => undefined,
    );
    await handlerReached;
    controller.abort();
    await done;
    const all = await waitForRecords(records, 1);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    expect(all).toHaveLength(1);
    expect(all[0]?.msg).toBe('GET /slow 200 aborted');
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

import cors from 'cors';
import express from 'express';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import request from 'supertest';
import {
  apiHelmetOptions,
  corsAllowlist,
  recordHelmetHeaders,
  securityHeaders,
  staticHelmet,
} from './http-security.ts';

const ALLOWED = 'https://app.example.test';

function appWith(...middleware: RequestHandler[]) {
  const app = express();
  for (const m of middleware) app.use(m);
  app.get('/thing', (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/thing', (_req, res) => {
    res.status(201).json({ ok: true });
  });
  return app;
}

// Every response header in the order it was sent, without Date (the one that varies).
function rawHeaders(res: request.Response): string[][] {
  const raw = (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;
  const pairs: string[][] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() !== 'date') pairs.push([raw[i] ?? '', raw[i + 1] ?? '']);
  }
  return pairs;
}

type Call = (agent: ReturnType<typeof request>) => request.Test;

const calls: [string, Call][] = [
  ['GET without Origin', (a) => a.get('/thing')],
  ['GET from the allowed origin', (a) => a.get('/thing').set('Origin', ALLOWED)],
  ['GET from an unknown origin', (a) => a.get('/thing').set('Origin', 'https://evil.example')],
  ['GET from the null origin', (a) => a.get('/thing').set('Origin', 'null')],
  ['POST with a JSON body', (a) => a.post('/thing').set('Origin', ALLOWED).send({ a: 1 })],
  ['a 404', (a) => a.get('/missing').set('Origin', ALLOWED)],
  [
    'a preflight from the allowed origin',
    (a) =>
      a
        .options('/thing')
        .set('Origin', ALLOWED)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,authorization'),
  ],
  [
    'a preflight from an unknown origin',
    (a) =>
      a
        .options('/thing')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST'),
  ],
];

describe('securityHeaders', () => {
  it("when recorded, then helmet's API headers are there with the strict CSP and a year of HSTS", () => {
    const { set, removed } = recordHelmetHeaders(apiHelmetOptions);
    const headers = Object.fromEntries(set);
    expect(headers['Content-Security-Policy']).toMatch(/^default-src 'none';/);
    expect(headers['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(headers['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(removed).toEqual(['X-Powered-By']);
  });

  it.each(calls)(
    "when %s is answered, then the headers are exactly helmet's, in helmet's order",
    async (_name, call) => {
      const ours = await call(request(appWith(securityHeaders())));
      const theirs = await call(request(appWith(helmet(apiHelmetOptions))));
      expect(ours.status).toBe(theirs.status);
      expect(rawHeaders(ours)).toEqual(rawHeaders(theirs));
      expect(rawHeaders(ours).map(([name]) => name)).toContain('Content-Security-Policy');
      expect(ours.text).toBe(theirs.text);
    },
  );

  it.each(calls)(
    "when %s is answered with staticHelmet() (helmet's defaults), then the headers are helmet()'s",
    async (_name, call) => {
      const ours = await call(request(appWith(staticHelmet())));
      const theirs = await call(request(appWith(helmet())));
      expect(rawHeaders(ours)).toEqual(rawHeaders(theirs));
    },
  );

  it('when a CSP directive is computed per request, then staticHelmet refuses to record it', () => {
    expect(() =>
      staticHelmet({ contentSecurityPolicy: { directives: { scriptSrc: [() => "'nonce-x'"] } } }),
    ).toThrow(/per request/);
  });

  it('when the app sends X-Powered-By, then it is removed as helmet does', async () => {
    const app = appWith(securityHeaders());
    app.enable('x-powered-by');
    const res = await request(app).get('/thing').expect(200);
    expect(res.headers).not.toHaveProperty('x-powered-by');
  });
});

describe('corsAllowlist', () => {
  // What corsAllowlist was before its fast path: the cors package deciding every request.
  const reference = () => {
    const allowed = new Set([ALLOWED]);
    return cors({
      origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin)),
      credentials: true,
    });
  };

  it.each(calls)(
    'when %s is answered, then status, headers and body are those of the cors package',
    async (_name, call) => {
      const ours = await call(request(appWith(corsAllowlist([ALLOWED]))));
      const theirs = await call(request(appWith(reference())));
      expect(ours.status).toBe(theirs.status);
      expect(rawHeaders(ours)).toEqual(rawHeaders(theirs));
      expect(ours.text).toBe(theirs.text);
    },
  );

  it('when the allowed origin calls, then it is reflected with credentials; others get nothing', async () => {
    const app = appWith(corsAllowlist([ALLOWED]));
    const allowed = await request(app).get('/thing').set('Origin', ALLOWED).expect(200);
    expect(allowed.headers).toMatchObject({
      'access-control-allow-origin': ALLOWED,
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    });
    const unknown = await request(app).get('/thing').set('Origin', 'null').expect(200);
    expect(unknown.headers).not.toHaveProperty('access-control-allow-origin');
    expect(unknown.headers).not.toHaveProperty('access-control-allow-credentials');
  });
});

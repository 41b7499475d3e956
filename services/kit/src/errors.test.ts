import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import {
  AppError,
  badRequest,
  conflict,
  createErrorHandler,
  forbidden,
  methodNotAllowed,
  notFound,
  notFoundHandler,
  problemDetails,
  serviceUnavailable,
  toAppError,
  tooManyRequests,
  unauthorized,
} from './errors.ts';
import { requestId } from './request-id.ts';
import { captureLogger } from './test/test-support.ts';

function setup(typeBase?: string) {
  const captured = captureLogger();
  const app = express();
  app.use(requestId());
  app.use(express.json({ limit: '1kb' }));
  app.post('/echo', (req, res) => {
    res.json(req.body);
  });
  app.get('/app-error', () => {
    throw new AppError({
      code: 'auth.invalid_credentials',
      status: 401,
      detail: 'Email or password is wrong.',
    });
  });
  app.get('/zod', () => {
    z.object({ email: z.email(), age: z.number() }).parse({ email: 'nope' });
  });
  app.get('/crash', async () => {
    throw new Error('db password=hunter2 at 10.0.0.5');
  });
  app.get('/limited', () => {
    throw tooManyRequests('auth.too_many_attempts', 'Try again later.', {
      headers: { 'Retry-After': '30' },
    });
  });
  app.route('/only-get').get((_req, res) => {
    res.json({});
  });
  app.route('/only-get').all(methodNotAllowed(['get', 'head']));
  app.use(notFoundHandler());
  app.use(createErrorHandler({ logger: captured.logger, typeBase }));
  return { ...captured, app };
}

function expectProblem(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: `urn:ums:problem:${code}` });
  expect(typeof res.body.title).toBe('string');
  expect(res.body.requestId).toBe(res.headers['x-request-id']);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+:\d+:\d+|stack/);
}

describe('errorHandler', () => {
  it('when an AppError is thrown, then its status, code and detail are rendered', async () => {
    const { app } = setup();
    const res = await request(app)
      .get('/app-error?token=secret')
      .set('X-Request-Id', 'rid-00000001');
    expectProblem(res, 401, 'auth.invalid_credentials');
    expect(res.body).toEqual({
      type: 'urn:ums:problem:auth.invalid_credentials',
      title: 'Unauthorized',
      status: 401,
      detail: 'Email or password is wrong.',
      instance: '/app-error',
      code: 'auth.invalid_credentials',
      requestId: 'rid-00000001',
    });
  });

  it('when a ZodError is thrown, then 400 request.validation_failed lists the field errors', async () => {
    const { app } = setup();
    const res = await request(app).get('/zod');
    expectProblem(res, 400, 'request.validation_failed');
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        path: 'email',
        code: 'invalid_format',
        message: expect.any(String),
      }),
      expect.objectContaining({ path: 'age', code: 'invalid_type', message: expect.any(String) }),
    ]);
  });

  it('when the JSON body is malformed, then 400 request.malformed_json', async () => {
    const { app } = setup();
    const res = await request(app)
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send('{"a":');
    expectProblem(res, 400, 'request.malformed_json');
  });

  it('when the body exceeds the limit, then 413 request.too_large', async () => {
    const { app } = setup();
    const res = await request(app)
      .post('/echo')
      .send({ big: 'x'.repeat(2048) });
    expectProblem(res, 413, 'request.too_large');
  });

  it('when the body has an unsupported charset or encoding, then 415', async () => {
    const { app } = setup();
    const charset = await request(app)
      .post('/echo')
      .set('Content-Type', 'application/json; charset=latin-9000')
      .send('{}');
    expectProblem(charset, 415, 'request.unsupported_media_type');
    const encoding = await request(app)
      .post('/echo')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'rot13')
      .send('{}');
    expectProblem(encoding, 415, 'request.unsupported_media_type');
  });

  it('when an unexpected error is thrown, then 500 internal hides it and logs it with the request id', async () => {
    const { app, records } = setup();
    const res = await request(app).get('/crash').set('X-Request-Id', 'rid-crash-01');
    expectProblem(res, 500, 'internal');
    expect(res.body.detail).toBe('An unexpected error occurred.');
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    const logged = records().find((r) => r.msg === 'unhandled error');
    expect(logged).toMatchObject({ level: 'error', requestId: 'rid-crash-01', path: '/crash' });
    expect(logged?.err).toMatchObject({ message: 'db password=hunter2 at 10.0.0.5' });
  });

  it('when no route matches, then 404 route.not_found with the path as instance', async () => {
    const { app } = setup();
    const res = await request(app).get('/nope?x=1');
    expectProblem(res, 404, 'route.not_found');
    expect(res.body.instance).toBe('/nope');
  });

  it('when the method is not allowed, then 405 with an Allow header', async () => {
    const { app } = setup();
    const res = await request(app).delete('/only-get');
    expectProblem(res, 405, 'request.method_not_allowed');
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('when an AppError carries headers, then they are sent', async () => {
    const { app } = setup();
    const res = await request(app).get('/limited');
    expectProblem(res, 429, 'auth.too_many_attempts');
    expect(res.headers['retry-after']).toBe('30');
  });

  it('when a custom type base is configured, then type uses it', async () => {
    const { app } = setup('https://docs.example.com/problems');
    const res = await request(app).get('/app-error');
    expect(res.body.type).toBe('https://docs.example.com/problems/auth.invalid_credentials');
  });
});

describe('error helpers', () => {
  it('when a helper is called, then it sets the matching status and code', () => {
    const cases: [AppError, number][] = [
      [badRequest('a.b'), 400],
      [unauthorized('a.b'), 401],
      [forbidden('a.b'), 403],
      [notFound('a.b'), 404],
      [conflict('a.b'), 409],
      [tooManyRequests('a.b'), 429],
      [serviceUnavailable('a.b', 'down'), 503],
    ];
    for (const [error, status] of cases) {
      expect(error).toBeInstanceOf(AppError);
      expect(error.status).toBe(status);
      expect(error.code).toBe('a.b');
    }
    expect(serviceUnavailable('a.b', 'down').detail).toBe('down');
  });

  it('when problemDetails is built without optional parts, then they are omitted', () => {
    expect(problemDetails({ code: 'x.y', status: 409 })).toEqual({
      type: 'urn:ums:problem:x.y',
      title: 'Conflict',
      status: 409,
      code: 'x.y',
    });
  });
});

describe('dependency outages', () => {
  it('when a database connection is refused or terminated, then the answer is 503 service.unavailable with Retry-After, not 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const terminated = new Error('Connection terminated unexpectedly');
    const shutdown = Object.assign(
      new Error('terminating connection due to administrator command'),
      { code: '57P01' },
    );
    for (const err of [refused, terminated, shutdown]) {
      const app = toAppError(err);
      expect(app?.status).toBe(503);
      expect(app?.code).toBe('service.unavailable');
    }
    expect(toAppError(new Error('boom'))).toBeUndefined();
  });
});

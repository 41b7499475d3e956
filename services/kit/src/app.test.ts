import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createServiceApp, finalize } from './app.ts';
import { createHealth } from './health.ts';
import { createMetrics } from './metrics.ts';
import { unauthorized } from './errors.ts';
import { defineRoute, mountRoutes, type AccessControl } from './route-table.ts';
import { captureLogger } from './test/test-support.ts';

const publicRoute = {
  summary: 'test route',
  tags: ['test'],
  access: { kind: 'public' as const },
  responses: {},
};
const anyone: AccessControl = {
  authenticate: () => Promise.reject(unauthorized('auth.invalid_token')),
  currentPermissions: async () => [],
  clientIp: () => '127.0.0.1',
};

function setup() {
  const captured = captureLogger();
  const health = createHealth({ checks: { db: async () => 1 } });
  const metrics = createMetrics({ serviceName: 'test-svc' });
  const app = createServiceApp({
    serviceName: 'test-svc',
    logger: captured.logger,
    metrics,
    health,
  });
  // Bodies are read for the route table's routes only (mountRoutes runs the app's body handling).
  const routes = [
    defineRoute({
      method: 'post',
      path: '/echo',
      ...publicRoute,
      handler: async ({ req }) => ({ status: 201, body: { received: req.body as unknown } }),
    }),
    defineRoute({
      method: 'post',
      path: '/logout',
      ...publicRoute,
      handler: async () => ({ status: 204 }),
    }),
    defineRoute({
      method: 'get',
      path: '/users/:id',
      ...publicRoute,
      handler: async ({ req }) => ({ body: { id: req.params.id } }),
    }),
    // What the JSON parser left on the request.
    ...(['get', 'post', 'delete'] as const).map((method) =>
      defineRoute({
        method,
        path: '/body',
        ...publicRoute,
        handler: async ({ req }) => ({
          body: { hasBody: 'body' in req, body: req.body as unknown, type: typeof req.body },
        }),
      }),
    ),
  ];
  mountRoutes(app, routes, anyone);
  finalize(app);
  return { ...captured, app, health };
}

function expectProblem(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
  expect(res.body.requestId).toBe(res.headers['x-request-id']);
  expect(res.body).not.toHaveProperty('stack');
}

describe('createServiceApp', () => {
  let server: Server;
  let agent: ReturnType<typeof request>;
  let ctx: ReturnType<typeof setup>;

  // A real listening server, as in production, rather than supertest's ephemeral one.
  beforeEach(async () => {
    ctx = setup();
    server = ctx.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    agent = request(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('when /health and /ready are probed, then they answer ok/ready', async () => {
    expect((await agent.get('/health').expect(200)).body).toEqual({ status: 'ok' });
    expect((await agent.get('/ready').expect(200)).body).toEqual({
      status: 'ready',
      checks: { db: 'ok' },
    });
    ctx.health.setShuttingDown();
    await agent.get('/ready').expect(503);
  });

  it('when /metrics is scraped after traffic, then it contains the request histogram', async () => {
    await agent.get('/users/1').expect(200);
    const res = await agent.get('/metrics').expect(200);
    expect(res.text).toContain('http_request_duration_seconds');
    expect(res.text).toContain('route="/users/:id"');
  });

  it('when a route is called, then the response has a request id and no x-powered-by', async () => {
    const res = await agent.get('/users/7').expect(200);
    expect(res.body).toEqual({ id: '7' });
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.headers).not.toHaveProperty('x-powered-by');
  });

  it('when a JSON body is posted, then the route receives it parsed', async () => {
    const res = await agent.post('/echo').send({ a: 1 }).expect(201);
    expect(res.body).toEqual({ received: { a: 1 } });
  });

  it('when an unknown route is requested, then 404 problem with the request id', async () => {
    const res = await agent.get('/missing').set('X-Request-Id', 'rid-missing-1');
    expectProblem(res, 404, 'route.not_found');
    expect(res.body.requestId).toBe('rid-missing-1');
  });

  it('when the JSON is malformed, then 400 problem', async () => {
    const res = await agent.post('/echo').set('Content-Type', 'application/json').send('{"a":');
    expectProblem(res, 400, 'request.malformed_json');
  });

  it('when the body is text/plain, then 415 problem', async () => {
    const res = await agent.post('/echo').set('Content-Type', 'text/plain').send('hello');
    expectProblem(res, 415, 'request.unsupported_media_type');
  });

  it('when a body has no content type, then 415 problem', async () => {
    const res = await agent.post('/echo').set('Content-Type', '').send(Buffer.from('raw'));
    expectProblem(res, 415, 'request.unsupported_media_type');
  });

  it('when a method is not declared for a path, then 405 with Allow before the body is looked at', async () => {
    const res = await agent.put('/echo').set('Content-Type', 'text/plain').send('hello');
    expectProblem(res, 405, 'request.method_not_allowed');
    expect(res.headers.allow).toBe('POST');
  });

  it('when an unknown path has a body, then 404 before the body is looked at', async () => {
    const res = await agent.post('/nowhere').set('Content-Type', 'text/plain').send('hello');
    expectProblem(res, 404, 'route.not_found');
  });

  it('when a POST has an empty body, then it is not refused', async () => {
    await agent.post('/logout').set('Content-Length', '0').expect(204);
  });

  it('when /health and /ready are asked in other cases or with a trailing slash, then the health router answers as before', async () => {
    for (const path of ['/HEALTH', '/health/', '/Ready/']) {
      const res = await agent.get(path).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    // Under the prefix but no health route: the router's Cache-Control, then the 404.
    const below = await agent.get('/health/deep');
    expectProblem(below, 404, 'route.not_found');
    expect(below.headers['cache-control']).toBe('no-store');
    const healthz = await agent.get('/healthz');
    expect(healthz.status).toBe(404);
    expect(healthz.headers['cache-control']).toBeUndefined();
  });

  it('when a request has no body, then req.body is set to undefined as the JSON parser did', async () => {
    expect((await agent.get('/body').expect(200)).body).toEqual({
      hasBody: true,
      type: 'undefined',
    });
    expect((await agent.delete('/body').expect(200)).body).toEqual({
      hasBody: true,
      type: 'undefined',
    });
  });

  it('when a JSON-typed POST has Content-Length 0, then the parser still makes it {}', async () => {
    const res = await agent
      .post('/body')
      .set('Content-Type', 'application/json')
      .set('Content-Length', '0')
      .expect(200);
    expect(res.body).toEqual({ hasBody: true, body: {}, type: 'object' });
  });

  it('when a GET carries a JSON body, then it is still parsed', async () => {
    const res = await agent
      .get('/body')
      .set('Content-Type', 'application/json')
      .send('{"a":1}')
      .expect(200);
    expect(res.body).toEqual({ hasBody: true, body: { a: 1 }, type: 'object' });
  });

  it('when the body is over 100kb, then 413 problem', async () => {
    const res = await agent.post('/echo').send({ big: 'x'.repeat(101 * 1024) });
    expectProblem(res, 413, 'request.too_large');
  });
});

describe('finalize', () => {
  it('when the app was not made by createServiceApp and no logger is given, then it throws', async () => {
    const { default: express } = await import('express');
    expect(() => finalize(express())).toThrow(/needs \{ logger \}/);
  });
});

import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Route } from './routes.ts';
import { createIngressServer } from './server.ts';

const servers: Server[] = [];

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function setUp(endpoints: string[]) {
  const seen: { method?: string; host?: string; forwardedFor?: string; body: string }[] = [];
  const upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({
        method: req.method,
        host: req.headers.host,
        forwardedFor: req.headers['x-forwarded-for'] as string | undefined,
        body,
      });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello ${req.url}`);
    });
  });
  const live = await listen(upstream);
  const routes: Route[] = [
    {
      host: 'ums.localtest.me',
      path: '/',
      pathType: 'Prefix',
      ingress: 'apps/dev',
      endpoints: endpoints.map((e) => e.replace('LIVE', String(live))),
    },
    {
      host: 'empty.localtest.me',
      path: '/',
      pathType: 'Prefix',
      ingress: 'apps/empty',
      endpoints: [],
    },
  ];
  const logs: Record<string, unknown>[] = [];
  const ingress = await listen(
    createIngressServer({ routes: () => routes, log: (e) => logs.push(e) }),
  );
  // node:http, not fetch: fetch does not let a caller set Host.
  const call = (host: string, path: string, init: { method?: string; body?: string } = {}) =>
    new Promise<{ status: number; type: string | undefined; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: ingress,
          path,
          method: init.method ?? 'GET',
          agent: false,
          headers: {
            host,
            ...(init.body
              ? { 'content-type': 'application/json', 'content-length': init.body.length }
              : {}),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], text }),
          );
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
  return { call, seen, logs };
}

test('when a request matches a route, then it reaches the pod with the Host kept and X-Forwarded-For set', async () => {
  const { call, seen, logs } = await setUp(['127.0.0.1:LIVE']);
  const reply = await call('ums.localtest.me', '/login?next=%2F');
  expect(reply.status).toBe(200);
  expect(reply.text).toBe('hello /login?next=%2F');
  expect(seen[0]).toMatchObject({ host: 'ums.localtest.me', forwardedFor: '127.0.0.1' });
  expect(logs.at(-1)).toMatchObject({ status: 200, path: '/login', ingress: 'apps/dev' });
});

test('when one endpoint is gone, then a GET is tried on the next one and succeeds', async () => {
  const dead = await deadPort();
  const { call } = await setUp([`127.0.0.1:${dead}`, '127.0.0.1:LIVE']);
  // Round robin starts on the dead endpoint for the first request.
  const statuses = await Promise.all(
    [1, 2, 3, 4].map(() => call('ums.localtest.me', '/').then((r) => r.status)),
  );
  expect(statuses).toEqual([200, 200, 200, 200]);
});

test('when a request with a body fails to connect, then it is not sent twice: 502 problem', async () => {
  const dead = await deadPort();
  const { call, seen } = await setUp([`127.0.0.1:${dead}`]);
  const reply = await call('ums.localtest.me', '/api/v1/auth/login', {
    method: 'POST',
    body: '{"email":"a@b.c"}',
  });
  expect(reply.status).toBe(502);
  expect(reply.type).toBe('application/problem+json');
  const problem = JSON.parse(reply.text) as { detail: string };
  expect(problem.detail).not.toContain('127.0.0.1');
  expect(seen).toEqual([]);
});

test('when no rule matches, or a route has no ready endpoint, then 404 and 503 problems answer at once', async () => {
  const { call, seen } = await setUp(['127.0.0.1:LIVE']);
  const unknown = await call('nobody.localtest.me', '/');
  expect(unknown.status).toBe(404);
  expect(unknown.type).toBe('application/problem+json');
  const empty = await call('empty.localtest.me', '/');
  expect(empty.status).toBe(503);
  expect((JSON.parse(empty.text) as { detail: string }).detail).toContain('apps/empty');
  expect(seen).toEqual([]);
});

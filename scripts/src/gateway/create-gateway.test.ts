import { randomBytes } from 'node:crypto';
import { ROUTES } from './routes.ts';
import type { EchoUpstream } from './test-servers.ts';
import { sha256, unusedUrl } from './test-servers.ts';
import { createGateway } from './create-gateway.ts';
import {
  UUID,
  closeServers,
  expectProblem,
  json,
  serve,
  serveEcho,
  startGateway,
} from './gateway-test-support.ts';

afterEach(closeServers);

describe('createGateway routing', () => {
  let auth: EchoUpstream;
  let profile: EchoUpstream;
  let gateway: string;

  beforeEach(async () => {
    const [authUpstream, authServer] = await serveEcho('auth');
    const [profileUpstream, profileServer] = await serveEcho('profile');
    auth = authUpstream;
    profile = profileUpstream;
    gateway = await startGateway({
      upstreams: { auth: authServer.url, profile: profileServer.url },
    });
  });

  test('when a POST hits an auth prefix, then method, full path, query, body and cookies reach auth unchanged', async () => {
    const body = JSON.stringify({ email: 'a@example.com', password: 'secret' });
    const response = await fetch(`${gateway}/api/v1/auth/sign-in?next=%2Fhome&lang=de`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'session=old; theme=dark' },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-upstream')).toBe('auth');
    expect(auth.requests).toHaveLength(1);
    expect(profile.requests).toHaveLength(0);
    const [seen] = auth.requests;
    expect(seen).toMatchObject({
      method: 'POST',
      url: '/api/v1/auth/sign-in?next=%2Fhome&lang=de',
      bodySha256: sha256(body),
      bodyLength: Buffer.byteLength(body),
    });
    expect(seen?.headers['cookie']).toBe('session=old; theme=dark');
    expect(seen?.headers['content-type']).toBe('application/json');
  });

  test.each(['PUT', 'PATCH', 'DELETE', 'OPTIONS'])(
    'when a %s hits a profile prefix, then profile receives the same method',
    async (method) => {
      const response = await fetch(`${gateway}/api/v1/users/42`, { method });
      expect(response.status).toBe(200);
      expect(profile.requests.map((r) => [r.method, r.url])).toEqual([
        [method, '/api/v1/users/42'],
      ]);
    },
  );

  test('when every prefix of the table is requested, then each reaches its owning service', async () => {
    for (const route of ROUTES) {
      const response = await fetch(`${gateway}${route.prefix}/probe`);
      expect([route.prefix, (await json(response))['service']]).toEqual([
        route.prefix,
        route.service,
      ]);
    }
    const exact = await fetch(`${gateway}/api/v1/roles`);
    expect((await json(exact))['url']).toBe('/api/v1/roles');
  });

  test.each(['/api/v1/authx', '/api/v1/users-export/1', '/.well-knownx', '/api/v1'])(
    'when %s only shares a prefix string, then it is not proxied and answers 404 route.not_found',
    async (path) => {
      const response = await fetch(`${gateway}${path}?token=secret`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expectProblem(await json(response), 404, 'route.not_found', path);
      expect([...auth.requests, ...profile.requests]).toHaveLength(0);
    },
  );

  test('when the upstream answers, then Set-Cookie headers survive and X-Powered-By is stripped', async () => {
    const response = await fetch(`${gateway}/api/v1/auth/session`);
    expect(response.headers.getSetCookie()).toEqual([
      'session=abc; Path=/; HttpOnly',
      'csrf=xyz; Path=/',
    ]);
    expect(response.headers.get('x-powered-by')).toBeNull();
    const own = await fetch(`${gateway}/health`);
    expect(own.headers.get('x-powered-by')).toBeNull();
  });

  test('when a client sends forwarding headers, then the gateway replaces them with what it saw', async () => {
    await fetch(`${gateway}/api/v1/users/me`, {
      headers: {
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-proto': 'https',
        forwarded: 'for=6.6.6.6',
      },
    });
    const headers = profile.requests[0]?.headers ?? {};
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-real-ip']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe(new URL(gateway).host);
    expect(headers['x-forwarded-port']).toBe(new URL(gateway).port);
    // Host is preserved like the Ingress does, so services see the public host.
    expect(headers['host']).toBe(new URL(gateway).host);
    expect(headers['forwarded']).toBeUndefined();
  });

  test('when a source address is configured, then upstreams see the gateway come from it', async () => {
    const [echo, server] = await serveEcho('auth');
    const fromOwnAddress = await startGateway({
      upstreams: { auth: server.url },
      sourceAddress: '127.0.0.2',
    });
    await fetch(`${fromOwnAddress}/api/v1/auth/x`);
    await fetch(`${gateway}/api/v1/auth/x`);
    expect(echo.requests.map((r) => r.remoteAddress)).toEqual(['127.0.0.2']);
    expect(auth.requests.map((r) => r.remoteAddress)).toEqual(['127.0.0.1']);
  });

  test('when no request id is sent, then one is generated, sent upstream and returned', async () => {
    const response = await fetch(`${gateway}/api/v1/roles`);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(UUID);
    expect(auth.requests[0]?.headers['x-request-id']).toBe(requestId);
  });

  test('when a well-formed request id is sent, then it is propagated unchanged', async () => {
    const response = await fetch(`${gateway}/api/v1/roles`, {
      headers: { 'x-request-id': 'trace-0123456789.abc_DEF' },
    });
    expect(response.headers.get('x-request-id')).toBe('trace-0123456789.abc_DEF');
    expect(auth.requests[0]?.headers['x-request-id']).toBe('trace-0123456789.abc_DEF');
  });

  test('when a malformed request id is sent, then it is replaced by a new UUID everywhere', async () => {
    const response = await fetch(`${gateway}/api/v1/roles`, {
      headers: { 'x-request-id': 'bad id!' },
    });
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(UUID);
    expect(auth.requests[0]?.headers['x-request-id']).toBe(requestId);
  });

  test('when a 1 MB body is posted, then it streams through byte for byte', async () => {
    const payload = randomBytes(1024 * 1024);
    const response = await fetch(`${gateway}/api/v1/users/me/avatar`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: payload,
    });
    const echoed = await json(response);
    expect(echoed['bodyLength']).toBe(payload.length);
    expect(echoed['bodySha256']).toBe(sha256(payload));
  });

  test('when a body of unknown length is streamed (chunked), then it arrives unchanged', async () => {
    const chunks = Array.from({ length: 16 }, () => randomBytes(64 * 1024));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const expected = sha256(Buffer.concat([...chunks]));
    const response = await fetch(`${gateway}/api/v1/audit-logs/import`, {
      method: 'PUT',
      body,
      duplex: 'half',
    } as RequestInit);
    const echoed = await json(response);
    expect(echoed['bodySha256']).toBe(expected);
    expect(echoed['bodyLength']).toBe(1024 * 1024);
    expect(profile.requests[0]?.headers['transfer-encoding']).toBe('chunked');
  });
});

describe('createGateway failures', () => {
  test('when a service has no upstream configured, then its prefixes answer 503 gateway.service_unavailable', async () => {
    const [, authServer] = await serveEcho('auth');
    const gateway = await startGateway({ upstreams: { auth: authServer.url } });
    const response = await fetch(`${gateway}/api/v1/audit-logs?page=2`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await json(response);
    expectProblem(body, 503, 'gateway.service_unavailable', '/api/v1/audit-logs');
    expect(body['detail']).toContain('PROFILE_URL');
    expect(body['requestId']).toBe(response.headers.get('x-request-id'));
    expect((await fetch(`${gateway}/api/v1/auth/x`)).status).toBe(200);
  });

  test('when a configured upstream is down, then requests answer 502 gateway.upstream_unreachable', async () => {
    const gateway = await startGateway({ upstreams: { auth: await unusedUrl() } });
    const response = await fetch(`${gateway}/api/v1/auth/sign-in`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(502);
    const body = await json(response);
    expectProblem(body, 502, 'gateway.upstream_unreachable', '/api/v1/auth/sign-in');
  });

  test('when an upstream does not answer in time, then the request answers 504 gateway.upstream_timeout', async () => {
    const hung = await serve(() => undefined);
    const gateway = await startGateway({
      upstreams: { profile: hung.url },
      upstreamTimeoutMs: 200,
    });
    const response = await fetch(`${gateway}/api/v1/users/slow`);
    expect(response.status).toBe(504);
    expectProblem(await json(response), 504, 'gateway.upstream_timeout', '/api/v1/users/slow');
  });

  test('when an upstream URL is malformed, then createGateway throws a readable error', () => {
    expect(() => createGateway({ upstreams: { profile: 'localhost:3002' } })).toThrow(
      /upstreams.profile must use http or https/,
    );
  });
});

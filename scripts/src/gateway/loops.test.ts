// Paths no route serves must be answered by the gateway at once: the web app's dev server
// proxies the API namespaces back to the gateway, so handing them on made requests bounce.
import type { IncomingHttpHeaders } from 'node:http';
import {
  closeServers,
  expectProblem,
  json,
  serve,
  serveEcho,
  startGateway,
} from './gateway-test-support.ts';

afterEach(closeServers);

describe('createGateway API namespaces', () => {
  test.each([
    '/api',
    '/api/',
    '/api/v1/usersX',
    '/api/v1/users-export/1',
    '/api/v2/accounts',
    '/api-docs/x',
    '/api-docs/missing.css',
    '/.well-knownx',
  ])(
    'when %s has no route and a web upstream is configured, then 404 route.not_found and no upstream is asked',
    async (path) => {
      const [web, webServer] = await serveEcho('web');
      const [auth, authServer] = await serveEcho('auth');
      const [profile, profileServer] = await serveEcho('profile');
      const gateway = await startGateway({
        upstreams: { web: webServer.url, auth: authServer.url, profile: profileServer.url },
      });
      const response = await fetch(`${gateway}${path}?q=1`, { method: 'POST', body: '{}' });
      // `/.well-knownx` is outside every namespace (segment match): it is the web app's.
      if (path === '/.well-knownx') {
        expect((await json(response))['service']).toBe('web');
        return;
      }
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expectProblem(await json(response), 404, 'route.not_found', path);
      expect([...web.requests, ...auth.requests, ...profile.requests]).toEqual([]);
    },
  );

  test('when a path only shares the letters of a namespace, then it still goes to the web app', async () => {
    const [web, webServer] = await serveEcho('web');
    const gateway = await startGateway({ upstreams: { web: webServer.url } });
    for (const path of ['/apix', '/api-docsx', '/API/v1/users']) {
      expect((await fetch(`${gateway}${path}`)).status).toBe(200);
    }
    expect(web.requests.map((r) => r.url)).toEqual(['/apix', '/api-docsx', '/API/v1/users']);
  });
});

describe('createGateway loop guard', () => {
  test('when an upstream sends a request back to the gateway, then 508 gateway.loop_detected after one pass', async () => {
    let gateway = '';
    const seen: IncomingHttpHeaders[] = [];
    // A web upstream that proxies everything back to the gateway: a misconfigured dev server.
    const web = await serve((req, res) => {
      seen.push(req.headers);
      const { host: _host, ...headers } = req.headers;
      void fetch(`${gateway}${req.url}`, { headers: headers as Record<string, string> }).then(
        async (answer) => {
          res.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? '',
          });
          res.end(await answer.text());
        },
      );
    });
    gateway = await startGateway({ upstreams: { web: web.url } });
    const response = await fetch(`${gateway}/settings`, {
      headers: { via: '1.1 corporate-proxy' },
    });
    expect(response.status).toBe(508);
    expectProblem(await json(response), 508, 'gateway.loop_detected', '/settings');
    expect(seen.map((headers) => headers['via'])).toEqual(['1.1 corporate-proxy, 1.1 ums-gateway']);
  });
});

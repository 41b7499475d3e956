import type { LogFields } from './logger.ts';
import { ROUTES } from './routes.ts';
import { unusedUrl } from './test-servers.ts';
import type { Loose } from './gateway-test-support.ts';
import { closeServers, json, serve, serveEcho, startGateway } from './gateway-test-support.ts';

afterEach(closeServers);

describe('createGateway /health', () => {
  test('when every upstream is up, then all services are ok', async () => {
    const [, authServer] = await serveEcho('auth');
    const [, profileServer] = await serveEcho('profile');
    const gateway = await startGateway({
      upstreams: { auth: authServer.url, profile: profileServer.url },
    });
    const response = await fetch(`${gateway}/health`);
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ status: 'ok', services: { auth: 'ok', profile: 'ok' } });
  });

  test('when one upstream is down and one is not configured, then the gateway is still ok and says so', async () => {
    const gateway = await startGateway({ upstreams: { auth: await unusedUrl() } });
    const response = await fetch(`${gateway}/health`);
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      status: 'ok',
      services: { auth: 'down', profile: 'not_configured' },
    });
  });

  test('when an upstream health check hangs or fails, then it is reported down after the timeout', async () => {
    const hung = await serve(() => undefined);
    const failing = await serve((_req, res) => res.writeHead(503).end());
    const gateway = await startGateway({
      upstreams: { auth: hung.url, profile: failing.url },
      probeTimeoutMs: 200,
    });
    const started = performance.now();
    const body = await json(await fetch(`${gateway}/health`));
    expect(body['services']).toEqual({ auth: 'down', profile: 'down' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test('when a web upstream is configured, then it is reported too', async () => {
    const web = await serve((_req, res) => res.writeHead(404).end());
    const gateway = await startGateway({ upstreams: { web: web.url } });
    const body = await json(await fetch(`${gateway}/health`));
    expect(body['services']).toEqual({
      auth: 'not_configured',
      profile: 'not_configured',
      web: 'ok',
    });
  });
});

function serviceDocument(title: string, path: string, schema: string): Loose {
  return {
    openapi: '3.1.0',
    info: { title, version: '1.0.0' },
    tags: [{ name: title }],
    paths: { [path]: { get: { tags: [title], responses: { '200': { description: 'ok' } } } } },
    components: {
      schemas: { [schema]: { type: 'object' } },
      securitySchemes: { [`${title}Cookie`]: { type: 'apiKey', in: 'cookie', name: title } },
    },
  };
}

describe('createGateway /api-docs', () => {
  test('when both services serve OpenAPI documents, then one merged document holds both', async () => {
    const [, authServer] = await serveEcho(
      'auth',
      serviceDocument('auth', '/api/v1/auth/sign-in', 'SignIn'),
    );
    const [, profileServer] = await serveEcho(
      'profile',
      serviceDocument('profile', '/api/v1/users/{id}', 'User'),
    );
    const gateway = await startGateway({
      upstreams: { auth: authServer.url, profile: profileServer.url },
    });
    const response = await fetch(`${gateway}/api-docs/openapi.json`);
    expect(response.status).toBe(200);
    const document = await json(response);
    expect(document['openapi']).toBe('3.1.0');
    expect(document['info'].title).toBe('User Management Platform API');
    expect(Object.keys(document['paths'])).toEqual(['/api/v1/auth/sign-in', '/api/v1/users/{id}']);
    expect(Object.keys(document['components'].schemas)).toEqual(['SignIn', 'User']);
    expect(Object.keys(document['components'].securitySchemes)).toEqual([
      'authCookie',
      'profileCookie',
    ]);
    expect(document['tags']).toEqual([{ name: 'auth' }, { name: 'profile' }]);
    expect(document['x-unavailable-services']).toEqual([]);
  });

  test('when an upstream is unreachable or serves no document, then it is skipped and listed', async () => {
    const [, profileServer] = await serveEcho(
      'profile',
      serviceDocument('profile', '/api/v1/users', 'User'),
    );
    const logs: LogFields[] = [];
    const gateway = await startGateway({
      upstreams: { auth: await unusedUrl(), profile: profileServer.url },
      logger: {
        info: () => undefined,
        warn: (_msg, fields = {}) => logs.push(fields),
        error: () => undefined,
      },
    });
    const document = await json(await fetch(`${gateway}/api-docs/openapi.json`));
    expect(document['x-unavailable-services']).toEqual(['auth']);
    expect(Object.keys(document['paths'])).toEqual(['/api/v1/users']);
    expect(logs).toEqual([
      expect.objectContaining({ service: 'auth', error: expect.stringContaining('ECONNREFUSED') }),
    ]);

    const [, noDocs] = await serveEcho('auth');
    const second = await startGateway({
      upstreams: { auth: noDocs.url, profile: profileServer.url },
    });
    const again = await json(await fetch(`${second}/api-docs/openapi.json`));
    expect(again['x-unavailable-services']).toEqual(['auth']);
  });

  test('when the document is requested again within the cache time, then upstreams are not asked again', async () => {
    const [authUpstream, authServer] = await serveEcho(
      'auth',
      serviceDocument('auth', '/api/v1/auth/a', 'A'),
    );
    const gateway = await startGateway({ upstreams: { auth: authServer.url } });
    await fetch(`${gateway}/api-docs/openapi.json`);
    authUpstream.openapi = serviceDocument('auth', '/api/v1/auth/b', 'B');
    const cached = await json(await fetch(`${gateway}/api-docs/openapi.json`));
    expect(Object.keys(cached['paths'])).toEqual(['/api/v1/auth/a']);

    const uncachedGateway = await startGateway({
      upstreams: { auth: authServer.url },
      openApiCacheMs: 0,
    });
    await fetch(`${uncachedGateway}/api-docs/openapi.json`);
    authUpstream.openapi = serviceDocument('auth', '/api/v1/auth/c', 'C');
    const fresh = await json(await fetch(`${uncachedGateway}/api-docs/openapi.json`));
    expect(Object.keys(fresh['paths'])).toEqual(['/api/v1/auth/c']);
  });

  test('when /api-docs is opened, then Swagger UI is served and points at the merged document', async () => {
    const gateway = await startGateway({ upstreams: {} });
    const redirect = await fetch(`${gateway}/api-docs`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/api-docs/');
    const page = await fetch(`${gateway}/api-docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<div id="swagger-ui">');
    expect(html).toContain('User Management Platform API');
    const init = await (await fetch(`${gateway}/api-docs/swagger-ui-init.js`)).text();
    expect(init).toContain('"swaggerUrl": "/api-docs/openapi.json"');
    const css = await fetch(`${gateway}/api-docs/swagger-ui.css`);
    expect(css.status).toBe(200);
  });
});

describe('createGateway index and web upstream', () => {
  test('when there is no web upstream, then / lists the routes and service states', async () => {
    const [, authServer] = await serveEcho('auth');
    const gateway = await startGateway({ upstreams: { auth: authServer.url } });
    const response = await fetch(`${gateway}/`);
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body['services']).toEqual({ auth: 'ok', profile: 'not_configured' });
    expect(body['routes']).toHaveLength(ROUTES.length);
    expect(body['routes']).toContainEqual({
      prefix: '/api/v1/users',
      service: 'profile',
      state: 'not_configured',
    });
    expect(body['routes']).toContainEqual({ prefix: '/.well-known', service: 'auth', state: 'ok' });
    expect((await fetch(`${gateway}/`, { method: 'POST' })).status).toBe(404);
  });

  test('when a web upstream is configured, then everything unmatched goes there and API prefixes do not', async () => {
    const [web, webServer] = await serveEcho('web');
    const [, profileServer] = await serveEcho('profile');
    const gateway = await startGateway({
      upstreams: { web: webServer.url, profile: profileServer.url },
    });
    expect((await json(await fetch(`${gateway}/`)))['service']).toBe('web');
    expect((await json(await fetch(`${gateway}/settings/profile?tab=2`)))['url']).toBe(
      '/settings/profile?tab=2',
    );
    expect((await json(await fetch(`${gateway}/api/v1/users/1`)))['service']).toBe('profile');
    expect((await fetch(`${gateway}/api/v1/auth/x`)).status).toBe(503);
    expect(web.requests.map((r) => r.url)).toEqual(['/', '/settings/profile?tab=2']);
    expect((await fetch(`${gateway}/health`)).headers.get('content-type')).toMatch(/json/);
  });
});

describe('createGateway request log', () => {
  test('when requests are served, then one line each is logged without the query string', async () => {
    const lines: { message: string; fields: LogFields }[] = [];
    const [, authServer] = await serveEcho('auth');
    const gateway = await startGateway({
      upstreams: { auth: authServer.url },
      logger: {
        info: (message, fields = {}) => lines.push({ message, fields }),
        warn: () => undefined,
        error: () => undefined,
      },
    });
    const response = await fetch(`${gateway}/api/v1/auth/reset?token=do-not-log`, {
      method: 'POST',
    });
    await response.text();
    await fetch(`${gateway}/nowhere?token=do-not-log`).then((r) => r.text());
    // The log is written on 'close', which can trail the client's read by a tick.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines).toEqual([
      {
        message: 'request',
        fields: {
          method: 'POST',
          path: '/api/v1/auth/reset',
          status: 200,
          ms: expect.any(Number),
          requestId: response.headers.get('x-request-id'),
        },
      },
      { message: 'request', fields: expect.objectContaining({ path: '/nowhere', status: 404 }) },
    ]);
    expect(JSON.stringify(lines)).not.toContain('do-not-log');
  });
});

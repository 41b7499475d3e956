import request from 'supertest';
import { createTestProfile, type TestProfile, type TestUser } from '../test/harness.ts';
import { allRoutes } from './all-routes.ts';

describe('route table: access matrix, OpenAPI, probes, logs', () => {
  let t: TestProfile;
  let plain: TestUser;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestProfile({ CORS_ORIGINS: 'http://localhost:3000' });
    plain = await t.registerUser();
    admin = await t.registerUser({ role: 'super_admin' }, [
      'users:read',
      'users:export',
      'audit:read',
    ]);
  });
  afterAll(async () => t?.close());

  const concrete = (path: string, id: string) => path.replace(':id', id);
  const call = (method: string, path: string) =>
    (request(t.app) as unknown as Record<string, (p: string) => request.Test>)[method]?.(
      path,
    ) as request.Test;

  it('when the table is read, then no route is public (new routes are denied by default)', () => {
    const routes = allRoutes(t.container);
    expect(routes).toHaveLength(11);
    expect(routes.filter((r) => r.access.kind === 'public')).toEqual([]);
  });

  it('when each route is called anonymously, then 401; each permission route denies a plain user with 403', async () => {
    for (const route of allRoutes(t.container)) {
      const path = concrete(route.path, admin.id);
      const anonymous = await call(route.method, path);
      expect([route.method, route.path, anonymous.status]).toEqual([route.method, route.path, 401]);
      if (route.access.kind === 'permission') {
        const denied = await call(route.method, path).set(plain.auth);
        expect([route.method, route.path, denied.status]).toEqual([route.method, route.path, 403]);
        const allowed = await call(route.method, path).set(admin.auth);
        expect(allowed.status).toBe(200);
      }
    }
  });

  it('when the OpenAPI document is served, then it is 3.1 with every contract path, permissions and the multipart upload', async () => {
    const res = await request(t.app).get('/api-docs/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths).sort()).toEqual([
      '/api/v1/audit-logs',
      '/api/v1/audit-logs/export',
      '/api/v1/users',
      '/api/v1/users/export',
      '/api/v1/users/me',
      '/api/v1/users/me/avatar',
      '/api/v1/users/me/export',
      '/api/v1/users/{id}',
      '/api/v1/users/{id}/avatar',
    ]);
    expect(res.body.paths['/api/v1/users'].get['x-required-permission']).toBe('users:read');
    expect(res.body.paths['/api/v1/users/export'].get['x-required-permission']).toBe(
      'users:export',
    );
    expect(res.body.paths['/api/v1/audit-logs'].get['x-required-permission']).toBe('audit:read');
    expect(res.body.paths['/api/v1/users/me/avatar'].put.requestBody.content).toHaveProperty(
      'multipart/form-data',
    );
    await request(t.app).get('/api-docs/').expect(200).expect('content-type', /html/);
  });

  it('when probes are called, then /health and /ready answer and /metrics has RED and event metrics', async () => {
    await request(t.app).get('/health').expect(200, { status: 'ok' });
    const ready = await request(t.app).get('/ready').expect(200);
    expect(ready.body.checks).toEqual({ mongodb: 'ok' });
    const metrics = await request(t.app).get('/metrics').expect(200);
    expect(metrics.text).toContain('http_request_duration_seconds_bucket');
    expect(metrics.text).toContain('route="/api/v1/users/:id"');
    expect(metrics.text).toContain('ums_profile_events_total{result="applied"');
  });

  it('when a browser origin is unknown or null, then CORS allows nothing; the web app origin is allowed', async () => {
    const evil = await request(t.app)
      .get('/api/v1/users/me')
      .set(plain.auth)
      .set('Origin', 'https://evil.example');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const nul = await request(t.app).get('/api/v1/users/me').set(plain.auth).set('Origin', 'null');
    expect(nul.headers['access-control-allow-origin']).toBeUndefined();
    const web = await request(t.app)
      .get('/api/v1/users/me')
      .set(plain.auth)
      .set('Origin', 'http://localhost:3000');
    expect(web.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  });

  it('when the logs are read after all this, then they hold no token and every line is one JSON record', async () => {
    await request(t.app)
      .patch('/api/v1/users/me')
      .set(plain.auth)
      .send({ bio: 'line\nFAKE {"level":"info","msg":"forged"}' })
      .expect(200);
    await request(t.app).get('/api/v1/users/me\r\nforged').set(plain.auth);
    const lines = t.logs.lines();
    expect(lines.length).toBeGreaterThan(10);
    const text = lines.join('\n');
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    expect(text).not.toContain(plain.token);
    expect(text).not.toContain(admin.token);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(lines.some((l) => (JSON.parse(l) as { msg?: string }).msg === 'forged')).toBe(false);
  });
});

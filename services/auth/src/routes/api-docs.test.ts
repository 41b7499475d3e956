import request from 'supertest';
import { createTestAuth, type TestAuth } from '../test/harness.ts';

interface Operation {
  responses?: Record<string, { headers?: Record<string, unknown> }>;
}

// /api-docs is built on its first request; it must answer exactly as when it was built at start.
describe('API docs, built on first use', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  it('when the docs are asked for, then the document lists every route and Swagger UI has its own CSP', async () => {
    const doc = await request(t.app).get('/api-docs/openapi.json').expect(200);
    expect(doc.body.info.title).toBe('UMS auth service');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/auth/me', '/api/v1/accounts/{id}']),
    );
    // Every 401 documents its challenge header.
    const unauthorized = Object.values(doc.body.paths as Record<string, Record<string, Operation>>)
      .flatMap((methods) => Object.values(methods))
      .flatMap((operation) => operation.responses?.['401'] ?? []);
    expect(unauthorized.length).toBeGreaterThan(10);
    for (const response of unauthorized)
      expect(response.headers?.['WWW-Authenticate']).toBeDefined();
    const again = await request(t.app).get('/api-docs/openapi.json').expect(200);
    expect(again.body).toEqual(doc.body);

    const ui = await request(t.app).get('/api-docs/').expect(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    expect(ui.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    expect(ui.headers['x-powered-by']).toBeUndefined();
  });

  it('when other paths are asked for, then the docs are not involved and their CSP stays strict', async () => {
    const res = await request(t.app).get('/api-docsx').expect(404);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const me = await request(t.app).get('/api/v1/auth/me').expect(401);
    expect(me.headers['content-security-policy']).toContain("default-src 'none'");
    expect(me.headers['content-security-policy']).toContain("script-src 'self';");
  });
});

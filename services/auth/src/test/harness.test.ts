import request from 'supertest';
import { createTestAuth, type TestAuth } from './harness.ts';

describe('auth service skeleton', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  it('when started on a fresh database, then it is live and ready and has a signing key', async () => {
    await request(t.app).get('/health').expect(200);
    await request(t.app).get('/ready').expect(200);
    const { rows } = await t.container.db.query(
      'SELECT kid FROM signing_keys WHERE retired_at IS NULL',
    );
    expect(rows).toHaveLength(1);
  });

  it('when the system roles are read, then super_admin, admin and user exist with permissions', async () => {
    const { rows } = await t.container.db.query<{ name: string; permissions: string[] }>(
      'SELECT name, permissions FROM roles ORDER BY name',
    );
    expect(rows.map((r) => r.name)).toEqual(['admin', 'super_admin', 'user']);
    expect(rows.find((r) => r.name === 'super_admin')?.permissions).toContain('roles:manage');
  });

  it('when the OpenAPI document is requested, then it is OpenAPI 3.1', async () => {
    const res = await request(t.app).get('/api-docs/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
  });
});

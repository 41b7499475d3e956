import request from 'supertest';
import { concretePath, routeLabelsOf } from '@ums/service-kit/test-support';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import { allRoutes } from './all-routes.ts';

// Label cardinality (docs/observability.md): whatever path a client sends, the exported `route`
// is one of the route table's templates, the kit's own endpoints, or `unmatched`.
describe('route labels of http_request_duration_seconds', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t?.close());

  it('when every route is called with UUIDs for its parameters, and unknown paths too, then every route label is a template', async () => {
    const table = allRoutes(t.container);
    const sent: string[] = [];
    for (const route of table) {
      const path = concretePath(route.path);
      sent.push(path);
      await request(t.app)[route.method](path);
    }
    const strays = [`/api/v1/accounts/${crypto.randomUUID()}/nothing`, `/${crypto.randomUUID()}`];
    for (const path of strays) await request(t.app).get(path).expect(404);
    const labels = routeLabelsOf((await request(t.app).get('/metrics')).text);

    const allowed = new Set([...table.map((r) => r.path), '/metrics', 'unmatched']);
    expect(labels.filter((label) => !allowed.has(label))).toEqual([]);
    expect(labels).toEqual(expect.arrayContaining(['/api/v1/accounts/:id', 'unmatched']));
    expect(labels.join(' ')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(sent.some((p) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(p))).toBe(true);
  });
});

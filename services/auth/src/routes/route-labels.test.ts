import { routeLabelsAfterCalls } from '@ums/service-kit/test/test-support';
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
    const { labels, strays, sentIds } = await routeLabelsAfterCalls(t.app, allRoutes(t.container), [
      `/api/v1/accounts/${crypto.randomUUID()}/nothing`,
      `/${crypto.randomUUID()}`,
    ]);
    expect(strays).toEqual([]);
    expect(labels).toEqual(expect.arrayContaining(['/api/v1/accounts/:id', 'unmatched']));
    expect(labels.join(' ')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(sentIds).toBe(true);
  });
});

// The composition root: every service and background task is built once in createContainer, and
// building the route table (as the app, the OpenAPI document and the access test all do) changes
// nothing in the container.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { allRoutes } from './routes/all-routes.ts';
import { createTestAuth, type TestAuth } from './test/harness.ts';

let t: TestAuth;
beforeAll(async () => {
  t = await createTestAuth();
});
afterAll(() => t.close());

describe('the auth container', () => {
  it('builds each background task once, in the order start() runs them', () => {
    expect(t.container.background.map((task) => task.name)).toEqual([
      'account-mail',
      'outbox-relay',
      'active-sessions-gauge',
      'signing-key-rotation',
    ]);
    expect(t.container.background).toContain(t.container.outboxRelay);
  });

  it('when the route table is built again, then no service, task or hook changes', () => {
    const before = { ...t.container, background: [...t.container.background] };
    const onDenied = t.container.access.onDenied;
    const first = allRoutes(t.container);
    const second = allRoutes(t.container);

    expect(second.map((r) => `${r.method} ${r.path}`)).toEqual(
      first.map((r) => `${r.method} ${r.path}`),
    );
    expect(t.container.background).toEqual(before.background);
    expect(t.container.access.onDenied).toBe(onDenied);
    for (const [name, value] of Object.entries(before))
      if (name !== 'background') expect(t.container[name as keyof typeof before]).toBe(value);
  });

  it('audits refused permission checks from the start, before any route is built', () => {
    expect(t.container.access.onDenied).toEqual(expect.any(Function));
  });
});

import { randomUUID } from 'node:crypto';
import { routeLabelsOf } from '@ums/service-kit/test/test-support';
import { ROUTES } from './routes.ts';
import { closeServers, serveEcho, startGateway } from './gateway-test-support.ts';

afterEach(closeServers);

/** `http_request_duration_seconds_count` by route and status, from the gateway's own /metrics. */
async function counts(gateway: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${gateway}/metrics`)).text();
  const found: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('http_request_duration_seconds_count{')) continue;
    const route = /route="([^"]*)"/.exec(line)?.[1];
    const status = /status_code="([^"]*)"/.exec(line)?.[1];
    found[`${route} ${status}`] = Number(line.split(' ').pop());
  }
  return found;
}

describe('gateway /metrics', () => {
  it('when requests with ids pass through every prefix, then durations are labelled by the matched prefix', async () => {
    const [, auth] = await serveEcho('auth');
    const [, profile] = await serveEcho('profile');
    const gateway = await startGateway({ upstreams: { auth: auth.url, profile: profile.url } });
    for (const route of ROUTES) {
      expect(
        (await fetch(`${gateway}${route.prefix}/${randomUUID()}?token=${randomUUID()}`)).status,
      ).toBe(200);
    }
    await fetch(`${gateway}/api/v1/users/${randomUUID()}/avatar`);
    expect((await fetch(`${gateway}/api/v2/${randomUUID()}`)).status).toBe(404);
    expect((await fetch(`${gateway}/${randomUUID()}`)).status).toBe(404);
    await fetch(`${gateway}/health`);

    const text = await (await fetch(`${gateway}/metrics`)).text();
    expect(text).toMatch(/^http_request_duration_seconds_count\{service_name="gateway",/m);
    expect(text).toMatch(/^ums_process_cpu_limit_cores\{service_name="gateway"\} /m);
    const labels = routeLabelsOf(text);
    const allowed = new Set([...ROUTES.map((r) => r.prefix), 'unmatched', '/health', '/metrics']);
    expect(labels.filter((label) => !allowed.has(label))).toEqual([]);
    const byRoute = await counts(gateway);
    expect(byRoute['/api/v1/users 200']).toBe(2);
    expect(byRoute['/api/v1/auth 200']).toBe(1);
    expect(byRoute['unmatched 404']).toBe(2);
    expect(byRoute['/health 200']).toBe(1);
  });

  it('when a prefix has no upstream configured, then its 503s are counted under that prefix', async () => {
    const gateway = await startGateway({ upstreams: {} });
    expect((await fetch(`${gateway}/api/v1/roles/${randomUUID()}`)).status).toBe(503);
    expect((await counts(gateway))['/api/v1/roles 503']).toBe(1);
  });
});

import express from 'express';
import request from 'supertest';
import { createMetrics } from './metrics.ts';

function setup() {
  const metrics = createMetrics({ serviceName: 'test-svc' });
  const app = express();
  app.use(metrics.httpMetrics);
  app.get('/metrics', metrics.metricsHandler);
  app.get('/users/:id', (_req, res) => {
    res.json({});
  });
  const orgs = express.Router();
  orgs.get('/', (_req, res) => {
    res.json([]);
  });
  orgs.get('/:orgId/members', (_req, res) => {
    setTimeout(() => res.json([]), 5);
  });
  app.use('/orgs', orgs);
  return { app, metrics };
}

async function durationSeries(metrics: ReturnType<typeof createMetrics>) {
  const metric = await metrics.httpRequestDuration.get();
  return metric.values
    .filter((v) => v.metricName === 'http_request_duration_seconds_count')
    .map((v) => ({ ...v.labels, count: v.value }));
}

describe('createMetrics', () => {
  it('when two ids hit the same route, then there is one series labelled with the pattern', async () => {
    const { app, metrics } = setup();
    await request(app).get('/users/123').expect(200);
    await request(app).get('/users/456?x=1').expect(200);
    expect(await durationSeries(metrics)).toEqual([
      { method: 'GET', route: '/users/:id', status_code: '200', count: 2 },
    ]);
  });

  it('when a route lives in a mounted router, then the label joins the mount path and pattern', async () => {
    const { app, metrics } = setup();
    await request(app).get('/orgs').expect(200);
    await request(app).get('/orgs/o-1/members').expect(200);
    const routes = (await durationSeries(metrics)).map((s) => s.route).sort();
    expect(routes).toEqual(['/orgs', '/orgs/:orgId/members']);
  });

  it('when paths match no route, then they are all labelled unmatched', async () => {
    const { app, metrics } = setup();
    await request(app).get('/nope/1').expect(404);
    await request(app).get('/nope/2').expect(404);
    expect(await durationSeries(metrics)).toEqual([
      { method: 'GET', route: 'unmatched', status_code: '404', count: 2 },
    ]);
  });

  it('when /metrics is scraped, then it serves the text format with default and http metrics', async () => {
    const { app } = setup();
    await request(app).get('/users/1').expect(200);
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{service_name="test-svc",method="GET",route="\/users\/:id",status_code="200"\} 1/,
    );
    expect(res.text).not.toContain('/users/1"');
  });

  it('when two metric sets are created, then their registries are independent', async () => {
    const a = createMetrics({ serviceName: 'a' });
    const b = createMetrics({ serviceName: 'b', prefix: 'b_' });
    expect(a.registry).not.toBe(b.registry);
    expect(await b.registry.metrics()).toContain('b_http_request_duration_seconds');
  });
});

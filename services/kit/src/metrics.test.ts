import type { AddressInfo } from 'node:net';
import express from 'express';
import type { RequestHandler } from 'express';
import request from 'supertest';
import { createMetrics } from './metrics.ts';
import { routeLabel } from './route.ts';

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

  it('when the same traffic is measured, then the exposition matches what prom-client startTimer gave', async () => {
    // The middleware as it was: a timer per request, labels passed at the end.
    const reference = (metrics: ReturnType<typeof createMetrics>): RequestHandler => {
      return (req, res, next) => {
        const stopTimer = metrics.httpRequestDuration.startTimer();
        res.once('close', () => {
          stopTimer({
            method: req.method,
            route: routeLabel(req, res),
            status_code: res.writableFinished ? String(res.statusCode) : '499',
          });
        });
        next();
      };
    };
    const exposition = async (
      httpMetrics: (m: ReturnType<typeof createMetrics>) => RequestHandler,
    ) => {
      const metrics = createMetrics({ serviceName: 'same-svc', prefix: 'p_' });
      const app = express();
      app.use(httpMetrics(metrics));
      app.get('/users/:id', (_req, res) => {
        res.json({});
      });
      app.post('/users', (_req, res) => {
        res.status(201).end();
      });
      let arrived!: () => void;
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      app.get('/hang', () => arrived());
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const id of ['1', '2', '3']) await fetch(`${base}/users/${id}`);
      await fetch(`${base}/users`, { method: 'POST' });
      await fetch(`${base}/nope`);
      await fetch(`${base}/users/9`, { method: 'DELETE' });
      const controller = new AbortController();
      const aborted = fetch(`${base}/hang`, { signal: controller.signal }).catch(() => undefined);
      await reached;
      controller.abort();
      await aborted;
      for (let i = 0; i < 50 && !(await metrics.registry.metrics()).includes('"499"'); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      // The request histogram only; durations (sums, and so which bucket) vary between runs.
      return (await metrics.registry.metrics())
        .split('\n')
        .filter((line) => line.includes('p_http_request_duration_seconds'))
        .map((line) =>
          line.replace(/^(p_http_request_duration_seconds_(?:sum|bucket).*) \S+$/, '$1 N'),
        );
    };
    const ours = await exposition((m) => m.httpMetrics);
    const theirs = await exposition(reference);
    expect(ours).toEqual(theirs);
    expect(ours.join('\n')).toContain(
      'p_http_request_duration_seconds_count{service_name="same-svc",method="GET",route="/users/:id",status_code="200"} 3',
    );
    expect(ours.join('\n')).toContain('route="/hang",status_code="499"} 1');
  });
});

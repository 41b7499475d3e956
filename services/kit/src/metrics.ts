import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { registerProcessLimits, type ProcessLimitSources } from './process-limits.ts';
import { routeLabel } from './route.ts';

export interface MetricsOptions {
  serviceName: string;
  /** Prepended to every metric name, e.g. `auth_`. Default: none. */
  prefix?: string;
  /** Histogram buckets in seconds. */
  buckets?: number[];
  /** Where `ums_process_*_limit_*` read the cgroup limits from (tests); false leaves them out. */
  processLimits?: ProcessLimitSources | false;
}

export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  httpMetrics: RequestHandler;
  metricsHandler: RequestHandler;
}

export const defaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const MAX_CACHED_LABEL_SETS = 1000;

// nginx's convention for "client went away before the response was complete".
const CLIENT_CLOSED_REQUEST = '499';

export function createMetrics({
  serviceName,
  prefix = '',
  buckets = defaultBuckets,
  processLimits = {},
}: MetricsOptions): Metrics {
  // A private registry keeps tests and multiple apps in one process from colliding.
  const registry = new Registry();
  // `service_name` rather than `service`: Kubernetes service discovery already uses `service`.
  registry.setDefaultLabels({ service_name: serviceName });
  collectDefaultMetrics({ register: registry, prefix });
  // Usage means little without the limit it runs against (CPU and memory saturation alerts).
  if (processLimits !== false) registerProcessLimits(registry, processLimits);

  const httpRequestDuration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'Duration of HTTP requests in seconds, by matched route pattern.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets,
    registers: [registry],
  });

  // One label object per (method, route, status) seen, reused for every observation: no
  // timer closure and no label object per request. Route patterns keep this set small.
  type Labels = Record<'method' | 'route' | 'status_code', string>;
  const labelSets = new Map<string, Labels>();
  const labelsFor = (method: string, route: string, status: string): Labels => {
    const key = `${method} ${status} ${route}`;
    let labels = labelSets.get(key);
    if (labels === undefined) {
      labels = { method, route, status_code: status };
      // Bounded, should a parameterised mount without `res.locals.route` put ids in routes.
      if (labelSets.size < MAX_CACHED_LABEL_SETS) labelSets.set(key, labels);
    }
    return labels;
  };

  const httpMetrics: RequestHandler = (req, res, next) => {
    const started = performance.now();
    res.on('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const status = res.writableFinished ? String(res.statusCode) : CLIENT_CLOSED_REQUEST;
      httpRequestDuration.observe(labelsFor(req.method, routeLabel(req, res), status), seconds);
    });
    next();
  };

  const metricsHandler: RequestHandler = async (_req, res) => {
    const body = await registry.metrics();
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  };

  return { registry, httpRequestDuration, httpMetrics, metricsHandler };
}

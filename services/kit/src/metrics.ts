import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { routeLabel } from './route.ts';

export interface MetricsOptions {
  serviceName: string;
  /** Prepended to every metric name, e.g. `auth_`. Default: none. */
  prefix?: string;
  /** Histogram buckets in seconds. */
  buckets?: number[];
}

export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  httpMetrics: RequestHandler;
  metricsHandler: RequestHandler;
}

export const defaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// nginx's convention for "client went away before the response was complete".
const CLIENT_CLOSED_REQUEST = '499';

export function createMetrics({
  serviceName,
  prefix = '',
  buckets = defaultBuckets,
}: MetricsOptions): Metrics {
  // A private registry keeps tests and multiple apps in one process from colliding.
  const registry = new Registry();
  // `service_name` rather than `service`: Kubernetes service discovery already uses `service`.
  registry.setDefaultLabels({ service_name: serviceName });
  collectDefaultMetrics({ register: registry, prefix });

  const httpRequestDuration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'Duration of HTTP requests in seconds, by matched route pattern.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets,
    registers: [registry],
  });

  const httpMetrics: RequestHandler = (req, res, next) => {
    const stopTimer = httpRequestDuration.startTimer();
    res.once('close', () => {
      stopTimer({
        method: req.method,
        route: routeLabel(req, res),
        status_code: res.writableFinished ? String(res.statusCode) : CLIENT_CLOSED_REQUEST,
      });
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

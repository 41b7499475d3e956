import express from 'express';
import type { Express, Request, RequestHandler } from 'express';
import { AppError, createErrorHandler, notFoundHandler } from './errors.ts';
import type { Health } from './health.ts';
import { httpLogger } from './http-logger.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { requestId } from './request-id.ts';

export const JSON_BODY_LIMIT = '100kb';
const JSON_TYPES = ['application/json', 'application/*+json'];

export interface ServiceAppOptions {
  serviceName: string;
  logger: Logger;
  metrics: Pick<Metrics, 'httpMetrics' | 'metricsHandler'>;
  /** Only requests whose path starts with /health or /ready reach its router. */
  health: Pick<Health, 'router'>;
  /** Base URI for problem `type`s; see `createErrorHandler`. */
  errorTypeBase?: string;
  /** Requests whose non-JSON body a route reads itself (e.g. a multipart upload): no 415 for them. */
  acceptsRawBody?: (req: Request) => boolean;
}

interface FinalizeOptions {
  logger: Logger;
  typeBase?: string;
}

// What `finalize` needs, remembered per app so callers only pass the app back.
const finalizeOptions = new WeakMap<Express, FinalizeOptions>();

// Content-Length: 0 is what many clients send on body-less POSTs (logout, refresh): not a body.
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

// What body-parser (type-is's hasBody) counts as a body: a Transfer-Encoding, or any numeric
// Content-Length, 0 included (a JSON-typed empty body becomes `{}`).
function parserSeesBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (
    req.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && !Number.isNaN(Number(length)))
  );
}

// The health router (createHealth) serves /health and /ready, under Express's default
// case-insensitive, trailing-slash-tolerant matching; other requests need not walk through it.
const HEALTH_PREFIX = /^\/(?:health|ready)/i;

/** A 415 for a request body that is not JSON, instead of silently ignoring it. */
function unsupportedBody(req: Request): AppError | undefined {
  if (!hasBody(req) || req.is(JSON_TYPES)) return undefined;
  return new AppError({
    code: 'request.unsupported_media_type',
    status: 415,
    detail: 'Request bodies must be JSON (Content-Type: application/json).',
  });
}

const bodyHandling = new WeakMap<Express, RequestHandler>();

/**
 * What `createServiceApp` does with a request body (415 unless JSON or a raw-body route; the
 * 100kb JSON parser): `mountRoutes` runs it for requests that matched a route and method.
 */
export function routeBodyHandling(app: Express): RequestHandler | undefined {
  return bodyHandling.get(app);
}

/**
 * An Express app with the platform's middleware in place: request ids, access logs, metrics,
 * /health, /ready, /metrics, and a 100kb JSON body parser for the routes `mountRoutes` adds. Add
 * routes, then call `finalize(app)`.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.locals.serviceName = options.serviceName;
  app.use(requestId());
  app.use(httpLogger(options.logger));
  app.use(options.metrics.httpMetrics);
  const healthRouter = options.health.router;
  const healthRoutes: RequestHandler = (req, res, next) => {
    if (HEALTH_PREFIX.test(req.path)) healthRouter(req, res, next);
    else next();
  };
  app.use(healthRoutes);
  app.get('/metrics', options.metrics.metricsHandler);
  const rawAllowed = options.acceptsRawBody;
  const jsonParser = express.json({ limit: JSON_BODY_LIMIT, type: JSON_TYPES });
  // Bodies are read once the route table has matched a route (see `routeBodyHandling`), so a
  // request for an unknown path is a 404 and an undeclared method a 405 whatever its body.
  bodyHandling.set(app, (req, res, next) => {
    if (!rawAllowed?.(req)) {
      const refusal = unsupportedBody(req);
      if (refusal) {
        next(refusal);
        return;
      }
    }
    // Most requests (GET, HEAD, DELETE, body-less POSTs) have no body: nothing to parse. The
    // parser would only have set `req.body = undefined` for them.
    if (parserSeesBody(req)) {
      jsonParser(req, res, next);
      return;
    }
    if (!('body' in (req as object))) req.body = undefined;
    next();
  });
  finalizeOptions.set(app, { logger: options.logger, typeBase: options.errorTypeBase });
  return app;
}

/** Appends the 404 handler and the problem+json error handler; call after adding routes. */
export function finalize(app: Express, options?: FinalizeOptions): Express {
  const resolved = options ?? finalizeOptions.get(app);
  if (resolved === undefined) {
    throw new Error('finalize(app) needs { logger } for apps not made by createServiceApp');
  }
  app.use(notFoundHandler());
  app.use(createErrorHandler({ logger: resolved.logger, typeBase: resolved.typeBase }));
  return app;
}

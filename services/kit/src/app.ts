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

/** Refuses request bodies that are not JSON with 415, instead of silently ignoring them. */
export function requireJsonBody(): RequestHandler {
  return (req, _res, next) => {
    if (hasBody(req) && !req.is(JSON_TYPES)) {
      next(
        new AppError({
          code: 'request.unsupported_media_type',
          status: 415,
          detail: 'Request bodies must be JSON (Content-Type: application/json).',
        }),
      );
      return;
    }
    next();
  };
}

/**
 * An Express app with the platform's middleware in place: request ids, access logs, metrics,
 * /health, /ready, /metrics and a 100kb JSON body parser. Add routes, then call `finalize(app)`.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.locals.serviceName = options.serviceName;
  app.use(requestId());
  app.use(httpLogger(options.logger));
  app.use(options.metrics.httpMetrics);
  app.use(options.health.router);
  app.get('/metrics', options.metrics.metricsHandler);
  const jsonOnly = requireJsonBody();
  const rawAllowed = options.acceptsRawBody;
  app.use(
    rawAllowed
      ? (req, res, next) => (rawAllowed(req) ? next() : jsonOnly(req, res, next))
      : jsonOnly,
  );
  app.use(express.json({ limit: JSON_BODY_LIMIT, type: JSON_TYPES }));
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

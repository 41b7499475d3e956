import { hash } from 'node:crypto';
import type { ErrorRequestHandler, Express, Request } from 'express';
import { createServiceApp, finalize } from '@ums/service-kit/app';
import { corsAllowlist, securityHeaders, serveApiDocs } from '@ums/service-kit/http-security';
import { AppError, serviceUnavailable } from '@ums/service-kit/errors';
import { mountRoutes } from '@ums/service-kit/route-table';
import type { Container } from './container.ts';
import { isMongoUnavailable } from './data/mongo.ts';
import { principalOf } from './routes/access-control.ts';
import { allRoutes } from './routes/all-routes.ts';
import { AVATAR_UPLOAD_PATH } from './routes/avatar-routes.ts';
import { profileOpenApiDocument } from './routes/openapi.ts';

// The one route whose body is not JSON: the avatar upload reads multipart itself (busboy).
const isAvatarUpload = (req: Request) =>
  req.method === 'PUT' &&
  req.path === AVATAR_UPLOAD_PATH &&
  req.is('multipart/form-data') !== false;

/**
 * Express's default weak ETag, the same value the `etag` package computes (length in hex, then
 * the first 27 characters of the base64 SHA-1), with the one-shot `crypto.hash` instead of a Hash
 * object per response.
 */
export function weakEtag(body: string | Buffer, encoding?: BufferEncoding): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, encoding) : body;
  return `W/"${bytes.length.toString(16)}-${hash('sha1', bytes, 'base64').slice(0, 27)}"`;
}

/** MongoDB unreachable is an outage (503, retry later), not a bug (500). */
const databaseOutage: ErrorRequestHandler = (err, _req, _res, next) => {
  next(
    isMongoUnavailable(err)
      ? serviceUnavailable('profile.database_unavailable', 'The profile database is unavailable.', {
          headers: { 'Retry-After': '5' },
          cause: err,
        })
      : err,
  );
};

/** Denied admin calls are audited with actor, address and request id (SECURITY-TESTS). */
function auditDenials(c: Container): ErrorRequestHandler {
  return (err, req, _res, next) => {
    const principal = principalOf(req);
    if (err instanceof AppError && err.status === 403 && principal) {
      // The 403 waits for its audit entry: a denial is on record before the caller learns of it.
      void c.auditService
        .record({
          action: 'auth.access_denied',
          actorId: principal.userId,
          ip: c.access.clientIp(req),
          requestId: String(req.id),
          details: { service: 'profile', method: req.method, path: req.route?.path ?? 'unmatched' },
        })
        .catch((error: unknown) => c.logger.warn({ err: error }, 'denied call not audited'))
        .finally(() => next(err));
      return;
    }
    next(err);
  };
}

/** The profile service's HTTP app: kit middleware, security headers, CORS, the route table. */
export function createProfileApp(c: Container): Express {
  const app = createServiceApp({
    serviceName: c.config.SERVICE_NAME,
    logger: c.logger,
    metrics: c.metrics,
    health: c.health,
    acceptsRawBody: isAvatarUpload,
  });
  app.set('etag', weakEtag);
  app.use(securityHeaders());
  app.use(corsAllowlist(c.config.CORS_ORIGINS));

  const routes = allRoutes(c);
  const document = profileOpenApiDocument(routes);
  serveApiDocs(app, document);
  mountRoutes(app, routes, c.access, { checkResponses: c.config.NODE_ENV === 'test' });
  app.use(databaseOutage);
  app.use(auditDenials(c));
  return finalize(app, { logger: c.logger });
}

import express, { type Express, type RequestHandler } from 'express';
import { createServiceApp, finalize } from '@ums/service-kit/app';
import { corsAllowlist, securityHeaders, serveApiDocs } from '@ums/service-kit/http-security';
import type { Container } from './container.ts';
import { allRoutes } from './routes/all-routes.ts';
import { buildOpenApiDocument } from '@ums/service-kit/openapi';
import { mountRoutes, type RouteDef } from '@ums/service-kit/route-table';

/**
 * /api-docs, built on its first request: the OpenAPI document and Swagger UI page cost about
 * 10 MB of memory that an instance nobody reads the docs of never needs.
 */
function lazyApiDocs(routes: readonly RouteDef[]): RequestHandler {
  let docs: express.Router | undefined;
  return (req, res, next) => {
    if (req.path !== '/api-docs' && !req.path.startsWith('/api-docs/')) {
      next();
      return;
    }
    if (!docs) {
      const document = buildOpenApiDocument(routes, {
        title: 'UMS auth service',
        version: '1.0.0',
        description: 'Identities, credentials, sessions, MFA, roles and tokens.',
      });
      const router = express.Router();
      // The kit mounts on an app; a router takes the same get/use calls and leaves the request alone.
      serveApiDocs(router as unknown as Express, document);
      docs = router;
    }
    docs(req, res, next);
  };
}

/** The auth service's HTTP app: the kit's middleware, security headers, CORS, the route table. */
export function createAuthApp(c: Container): Express {
  const app = createServiceApp({
    serviceName: c.config.SERVICE_NAME,
    logger: c.logger,
    metrics: c.metrics,
    health: c.health,
  });
  app.use(securityHeaders());
  app.use(corsAllowlist(c.config.CORS_ORIGINS));

  const routes = allRoutes(c);
  app.use(lazyApiDocs(routes));
  mountRoutes(app, routes, c.access, { checkResponses: c.config.NODE_ENV === 'test' });
  return finalize(app);
}

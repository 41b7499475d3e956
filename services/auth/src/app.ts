import type { Express } from 'express';
import { createServiceApp, finalize } from '@ums/service-kit/app';
import { corsAllowlist, securityHeaders, serveApiDocs } from '@ums/service-kit/http-security';
import type { Container } from './container.ts';
import { allRoutes } from './routes/all-routes.ts';
import { buildOpenApiDocument } from '@ums/service-kit/openapi';
import { mountRoutes } from '@ums/service-kit/route-table';

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
  const document = buildOpenApiDocument(routes, {
    title: 'UMS auth service',
    version: '1.0.0',
    description: 'Identities, credentials, sessions, MFA, roles and tokens.',
  });
  serveApiDocs(app, document);
  mountRoutes(app, routes, c.access);
  return finalize(app);
}

import cors from 'cors';
import type { Express } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { createServiceApp, finalize } from '@ums/service-kit/app';
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
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    }),
  );
  const allowed = new Set(c.config.CORS_ORIGINS);
  // Unknown and `null` origins get no Access-Control-Allow-Origin at all.
  app.use(
    cors({
      origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin)),
      credentials: true,
    }),
  );

  const routes = allRoutes(c);
  const document = buildOpenApiDocument(routes, {
    title: 'UMS auth service',
    version: '1.0.0',
    description: 'Identities, credentials, sessions, MFA, roles and tokens.',
  });
  app.get('/api-docs/openapi.json', (_req, res) => {
    res.json(document);
  });
  // Swagger UI needs inline scripts and styles: relax the CSP for the docs pages only.
  app.use(
    '/api-docs',
    helmet({
      contentSecurityPolicy: {
        directives: {
          scriptSrc: ["'self'", "'unsafe-inline'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
        },
      },
    }),
    swaggerUi.serve,
    swaggerUi.setup(document),
  );
  mountRoutes(app, routes, c.access);
  return finalize(app);
}

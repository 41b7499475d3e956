import cors from 'cors';
import type { Express, RequestHandler } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';

/** API responses: no content at all may load or frame them, and HTTPS is remembered for a year. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  });
}

/** CORS for an allowlist of origins, with credentials; unknown and `null` origins get no ACAO at all. */
export function corsAllowlist(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return cors({
    origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
  });
}

/** Serves the OpenAPI document at /api-docs/openapi.json (the gateway merges these) and Swagger UI at /api-docs. */
export function serveApiDocs(app: Express, document: object): void {
  app.get('/api-docs/openapi.json', (_req, res) => {
    res.json(document);
  });
  // Swagger UI needs inline scripts and styles: the CSP is relaxed for the docs pages only.
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
}

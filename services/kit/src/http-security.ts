import cors from 'cors';
import type { Express, RequestHandler } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';

type HelmetOptions = Parameters<typeof helmet>[0];

/** The helmet options behind `securityHeaders()`. */
export const apiHelmetOptions = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
} satisfies HelmetOptions;

export interface RecordedHeaders {
  /** Headers helmet sets, in its order. */
  set: readonly (readonly [name: string, value: string | number | readonly string[]])[];
  /** Headers helmet removes (X-Powered-By). */
  removed: readonly string[];
}

/**
 * Runs a helmet middleware once against a recording response and returns what it did. With
 * static options (no function-valued CSP directives, no nonces) helmet does the same to every
 * response, so this is what it would do to any request.
 */
export function recordHelmetHeaders(options: HelmetOptions): RecordedHeaders {
  const set: [string, string | number | readonly string[]][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.push([name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  let finished = false;
  const middleware = helmet(options);
  middleware({} as Parameters<typeof middleware>[0], recorder as never, (err?: unknown) => {
    if (err !== undefined) throw err instanceof Error ? err : new Error(String(err));
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously; cannot record its headers');
  return { set, removed };
}

/**
 * API responses: no content at all may load or frame them, and HTTPS is remembered for a year.
 * Exactly helmet's headers for these options, recorded once at start-up and set in one pass:
 * helmet itself runs a chain of 13 middlewares and rebuilds the CSP string on every request.
 */
export function securityHeaders(): RequestHandler {
  const { set, removed } = recordHelmetHeaders(apiHelmetOptions);
  return function securityHeaders(_req, res, next) {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) if (res.hasHeader(name)) res.removeHeader(name);
    next();
  };
}

/** CORS for an allowlist of origins, with credentials; unknown and `null` origins get no ACAO at all. */
export function corsAllowlist(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  // Reflects the request's origin: only ever reached for an allowed one.
  const reflect = cors({ origin: true, credentials: true });
  // Requests without an allowed Origin (same-origin, server to server, probes, unknown sites) get
  // nothing from cors, which would still copy its options and run two callbacks to decide so.
  return function corsAllowlist(req, res, next) {
    const origin = req.headers.origin;
    if (origin !== undefined && allowed.has(origin)) reflect(req, res, next);
    else next();
  };
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

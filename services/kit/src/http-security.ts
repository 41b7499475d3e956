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

// A function-valued CSP directive (a nonce, say) makes the header differ per request.
function hasDynamicDirective(options: HelmetOptions): boolean {
  const csp = options?.contentSecurityPolicy;
  if (typeof csp !== 'object' || csp === null || csp.directives === undefined) return false;
  return Object.values(csp.directives).some(
    (value) =>
      typeof value === 'function' ||
      (Array.isArray(value) && value.some((item) => typeof item === 'function')),
  );
}

/**
 * Runs a helmet middleware once against a recording response and returns what it did. With
 * static options (no function-valued CSP directives) helmet does the same to every response,
 * so this is what it would do to any request.
 */
export function recordHelmetHeaders(options: HelmetOptions = {}): RecordedHeaders {
  if (hasDynamicDirective(options)) {
    throw new Error('CSP directives computed per request cannot be recorded: use helmet() itself');
  }
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
 * `helmet(options)` for static options, in one pass: the headers helmet would set, recorded once
 * at start-up. helmet itself runs a chain of 13 middlewares and rebuilds the CSP string on every
 * request: about 8 us of CPU per request in the kit bench, this about 4 (Node's own header checks).
 */
export function staticHelmet(options: HelmetOptions = {}): RequestHandler {
  const { set, removed } = recordHelmetHeaders(options);
  return function securityHeaders(_req, res, next) {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) if (res.hasHeader(name)) res.removeHeader(name);
    next();
  };
}

/**
 * API responses: no content at all may load or frame them, and HTTPS is remembered for a year.
 * Exactly helmet's headers for `apiHelmetOptions`.
 */
export function securityHeaders(): RequestHandler {
  return staticHelmet(apiHelmetOptions);
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

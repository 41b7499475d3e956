import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { match } from 'path-to-regexp';
import type { z } from 'zod';
import { routeBodyHandling } from './app.ts';
import { forbidden, methodNotAllowed } from './errors.ts';

/**
 * Every HTTP route of a service is one `RouteDef` in a table. The same table mounts the Express
 * handlers, generates the OpenAPI document and drives the route x role access test, so the three
 * cannot drift apart. Access is explicit and checked before the handler runs: a route without a
 * declared access is a type error, and `public` is spelled out.
 */
export type Access =
  | { kind: 'public' }
  /** Any valid access token (self-service routes). */
  | { kind: 'authenticated' }
  /** A valid access token whose permissions (as the service can best know them) include this one. */
  | { kind: 'permission'; permission: string };

export interface Principal {
  userId: string;
  role: string;
  permissions: readonly string[];
  sessionId: string;
}

export interface RequestContext {
  requestId: string;
  ip: string;
  userAgent: string | undefined;
}

export interface Reply {
  status?: number;
  body?: unknown;
}

export interface HandlerInput<B, P, Q> {
  body: B;
  params: P;
  query: Q;
  ctx: RequestContext;
  principal: Principal | undefined;
  /** For cookies and redirects only; decisions belong in domain code, which never sees these. */
  req: Request;
  res: Response;
}

type AnyObject = z.ZodType<Record<string, unknown>>;

export interface RouteDef {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express syntax (`/api/v1/accounts/:id`); OpenAPI gets `{id}`. */
  path: string;
  summary: string;
  tags: string[];
  access: Access;
  body?: z.ZodType;
  params?: AnyObject;
  query?: AnyObject;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Send the reply yourself (redirects, streams); the handler then returns undefined. */
  handler: (input: HandlerInput<never, never, never>) => Promise<Reply | undefined>;
}

/** Infers the handler's input types from the declared schemas. */
export function defineRoute<
  B extends z.ZodType = z.ZodUndefined,
  P extends AnyObject = z.ZodType<Record<string, never>>,
  Q extends AnyObject = z.ZodType<Record<string, never>>,
>(
  def: Omit<RouteDef, 'handler' | 'body' | 'params' | 'query'> & {
    body?: B;
    params?: P;
    query?: Q;
    handler: (
      input: HandlerInput<z.output<B>, z.output<P>, z.output<Q>>,
    ) => Promise<Reply | undefined>;
  },
): RouteDef {
  return def as unknown as RouteDef;
}

export interface AccessControl {
  /** Verifies the bearer access token; throws a 401 AppError. */
  authenticate(req: Request): Promise<Principal>;
  /** The permissions the caller holds now; throw a 503 AppError when they cannot be read (never allow). */
  currentPermissions(principal: Principal): Promise<readonly string[]>;
  /** The client's address, honouring X-Forwarded-For only from trusted proxies. */
  clientIp(req: Request): string;
  /** Audits a refused permission check (e.g. an `auth.access_denied` event); must not throw. */
  onDenied?: (principal: Principal, route: RouteDef, ctx: RequestContext) => Promise<void>;
}

function contextOf(req: Request, access: AccessControl): RequestContext {
  return { requestId: String(req.id), ip: access.clientIp(req), userAgent: req.get('user-agent') };
}

function handle(route: RouteDef, access: AccessControl): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      let principal: Principal | undefined;
      if (route.access.kind !== 'public') {
        principal = await access.authenticate(req);
        if (route.access.kind === 'permission') {
          const granted = await access.currentPermissions(principal);
          if (!granted.includes(route.access.permission)) {
            await access.onDenied?.(principal, route, contextOf(req, access));
            throw forbidden(
              'auth.forbidden',
              `This action needs the ${route.access.permission} permission.`,
            );
          }
        }
      }
      // Validation comes after authentication, so anonymous callers learn nothing about inputs.
      const body = route.body ? route.body.parse(req.body) : undefined;
      const params = route.params ? route.params.parse(req.params) : {};
      const query = route.query ? route.query.parse(req.query) : {};
      const reply = await route.handler({
        body: body as never,
        params: params as never,
        query: query as never,
        ctx: contextOf(req, access),
        principal,
        req,
        res,
      });
      if (reply === undefined || res.headersSent) return;
      res.status(reply.status ?? 200);
      if (reply.body === undefined) res.end();
      else res.json(reply.body);
    } catch (error) {
      next(error);
    }
  };
}

interface DeclaredPath {
  path: string;
  methods: string[];
  matches: (path: string) => boolean;
}

/**
 * The table's paths, most specific first: a literal segment beats a parameter, so
 * `/accounts/bulk` is never read as `/accounts/:id`. Matched as Express matches them
 * (case-insensitive, a trailing slash tolerated).
 */
function declaredPaths(routes: readonly RouteDef[]): DeclaredPath[] {
  const byPath = new Map<string, DeclaredPath>();
  for (const route of routes) {
    const declared = byPath.get(route.path) ?? {
      path: route.path,
      methods: [],
      matches: (
        (m) => (path: string) =>
          m(path) !== false
      )(match(route.path, { sensitive: false, trailing: true, decode: false })),
    };
    declared.methods.push(route.method.toUpperCase());
    byPath.set(route.path, declared);
  }
  const parameters = (path: string) => path.split('/').filter((s) => s.startsWith(':')).length;
  return [...byPath.values()].sort((a, b) => parameters(a.path) - parameters(b.path));
}

const matchedPath = new WeakMap<Request, string>();

/**
 * Mounts the table. A request is first matched to its declared path: an undeclared method gets
 * 405 with `Allow` before its body is read, and only the path's own handlers run. Then the app's
 * body handling (`createServiceApp`), then access checks, validation and the handler.
 */
export function mountRoutes(
  app: Express,
  routes: readonly RouteDef[],
  access: AccessControl,
): void {
  const paths = declaredPaths(routes);
  const body = routeBodyHandling(app);
  app.use(function routeGate(req, res, next) {
    const declared = paths.find((p) => p.matches(req.path));
    if (!declared) {
      next();
      return;
    }
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    if (!declared.methods.includes(method)) {
      methodNotAllowed(declared.methods)(req, res, next);
      return;
    }
    matchedPath.set(req, declared.path);
    if (body) body(req, res, next);
    else next();
  });
  for (const route of routes) {
    const handler = handle(route, access);
    app[route.method](route.path, (req, res, next) => {
      if (matchedPath.get(req) === route.path) void handler(req, res, next);
      else next();
    });
  }
}

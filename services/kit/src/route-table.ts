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

/**
 * What the handler of a route with this access is given: the route table authenticates every
 * route that is not public before the handler runs, so those handlers always get a principal.
 */
export type PrincipalOf<A extends Access> = A extends { kind: 'public' } ? undefined : Principal;

export interface HandlerInput<B, P, Q, A extends Access = Access> {
  body: B;
  params: P;
  query: Q;
  ctx: RequestContext;
  principal: PrincipalOf<A>;
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
  handler: (input: HandlerInput<never, never, never, Access>) => Promise<Reply | undefined>;
}

/**
 * Infers the handler's input types from the declared schemas, and its principal from the declared
 * access: `Principal` for authenticated and permission routes, `undefined` for public ones.
 */
export function defineRoute<
  A extends Access,
  B extends z.ZodType = z.ZodUndefined,
  P extends AnyObject = z.ZodType<Record<string, never>>,
  Q extends AnyObject = z.ZodType<Record<string, never>>,
>(
  def: Omit<RouteDef, 'handler' | 'body' | 'params' | 'query' | 'access'> & {
    access: A;
    body?: B;
    params?: P;
    query?: Q;
    handler: (
      input: HandlerInput<z.output<B>, z.output<P>, z.output<Q>, A>,
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

export interface MountOptions {
  /**
   * Check every reply against the schema its route declares for that status, as a client would
   * receive it (after JSON serialisation); a reply that does not match, or a status the route does
   * not declare, becomes a 500 naming the route. On in tests, so the OpenAPI document, which is
   * generated from the same declarations, cannot drift from what the code sends.
   */
  checkResponses?: boolean;
}

/** Throws when a reply does not match what its route declares (see MountOptions). */
export function checkReply(route: RouteDef, status: number, body: unknown): void {
  const where = `${route.method.toUpperCase()} ${route.path}`;
  const declared = route.responses[status];
  if (!declared) throw new Error(`${where} replied ${status}, which its route does not declare`);
  if (!declared.schema) {
    if (body !== undefined && status < 300)
      throw new Error(`${where} replied ${status} with a body its route declares no schema for`);
    return;
  }
  const sent = body === undefined ? undefined : (JSON.parse(JSON.stringify(body)) as unknown);
  const result = declared.schema.safeParse(sent);
  if (!result.success)
    throw new Error(
      `${where} replied ${status} with a body that does not match its declared schema: ${result.error.message}`,
    );
}

function handle(route: RouteDef, access: AccessControl, options: MountOptions): RequestHandler {
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
      if (options.checkResponses) checkReply(route, reply.status ?? 200, reply.body);
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
  options: MountOptions = {},
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
    const handler = handle(route, access, options);
    app[route.method](route.path, (req, res, next) => {
      if (matchedPath.get(req) === route.path) void handler(req, res, next);
      else next();
    });
  }
}

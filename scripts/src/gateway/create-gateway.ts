import type { IncomingMessage } from 'node:http';
import express from 'express';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import swaggerUi from 'swagger-ui-express';
import { serviceNames, type ServiceName } from '@ums/contracts/paths';
import { createMetrics, type Metrics } from '@ums/service-kit/metrics';
import { UNMATCHED_ROUTE } from '@ums/service-kit/route';
import {
  extendCsp,
  inlineStyleSources,
  nginxSecurityHeaders,
} from '../../../web/nginx/security-headers.ts';
import type { GatewayUpstreams } from './config.ts';
import { parseUpstreamUrl, UPSTREAM_ENV } from './config.ts';
import type { HealthTarget } from './health.ts';
import { checkServices } from './health.ts';
import type { GatewayLogger } from './logger.ts';
import { silentLogger } from './logger.ts';
import { loadMergedOpenApi, OPENAPI_PATH } from './openapi-docs.ts';
import { MERGED_API_TITLE } from './openapi-merge.ts';
import { sendProblem } from './problem.ts';
import type { ProxyTarget } from './proxy.ts';
import { passedThisGateway, proxyRequest } from './proxy.ts';
import { REQUEST_ID_HEADER, resolveRequestId } from './request-id.ts';
import { inGatewayNamespace, matchRoute, ROUTES } from './routes.ts';
import { createTtlCache } from './ttl-cache.ts';
import { describeError } from './upstream-fetch.ts';

export interface CreateGatewayOptions {
  readonly upstreams: GatewayUpstreams;
  readonly logger?: GatewayLogger;
  /** Deadline for `/health` probes and OpenAPI fetches, in ms (default 2000). */
  readonly probeTimeoutMs?: number;
  /** How long the merged OpenAPI document is reused, in ms (default 5000). */
  readonly openApiCacheMs?: number;
  /** Idle time a proxied request may wait on its upstream before a 504, in ms (default 60000). */
  readonly upstreamTimeoutMs?: number;
  /**
   * Local address proxied requests leave from (default: the system's choice). Services trust
   * X-Forwarded-For from this address only, so it must not be the one every local client has.
   */
  readonly sourceAddress?: string;
  /** Where request durations go (default: a registry of its own, served at `/metrics`). */
  readonly metrics?: Metrics;
}

interface GatewaySettings {
  readonly origins: Readonly<Partial<Record<ServiceName | 'web', string>>>;
  readonly logger: GatewayLogger;
  readonly probeTimeoutMs: number;
  readonly upstreamTimeoutMs: number;
  readonly sourceAddress: string | undefined;
}

const API_DOCS_PATH = '/api-docs';

function pathOf(req: IncomingMessage & { originalUrl?: string }): string {
  return (req.originalUrl ?? req.url ?? '/').split('?')[0] ?? '/';
}

function requestIdOf(res: Response): string {
  return String(res.locals['requestId']);
}

function normalizeOrigins(upstreams: GatewayUpstreams): GatewaySettings['origins'] {
  const origins: Partial<Record<ServiceName | 'web', string>> = {};
  for (const name of [...serviceNames, 'web'] as const) {
    const value = upstreams[name];
    if (value !== undefined) origins[name] = parseUpstreamUrl(`upstreams.${name}`, value);
  }
  return origins;
}

function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const requestId = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
  res.locals['requestId'] = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  next();
}

/** The query string is left out on purpose: it may carry tokens (e.g. OAuth codes, reset links). */
function logRequests(logger: GatewayLogger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    res.once('close', () => {
      logger.info('request', {
        method: req.method,
        path: pathOf(req),
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        requestId: requestIdOf(res),
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });
    next();
  };
}

function healthTargets(settings: GatewaySettings): HealthTarget[] {
  const services = serviceNames.map((name) => ({
    name,
    origin: settings.origins[name],
    path: '/health',
  }));
  const web = settings.origins.web;
  return web === undefined
    ? services
    : [...services, { name: 'web', origin: web, path: '/', acceptAnyBelow500: true }];
}

function serviceStates(settings: GatewaySettings, res: Response) {
  return checkServices(healthTargets(settings), {
    timeoutMs: settings.probeTimeoutMs,
    requestId: requestIdOf(res),
  });
}

function healthHandler(settings: GatewaySettings) {
  return async (_req: Request, res: Response): Promise<void> => {
    const services = await serviceStates(settings, res);
    res.setHeader('cache-control', 'no-store');
    // The gateway itself is alive even when upstreams are not; their states are reported only.
    res.status(200).json({ status: 'ok', services });
  };
}

function openApiHandler(settings: GatewaySettings, cacheMs: number) {
  const sources = serviceNames.flatMap((service) => {
    const origin = settings.origins[service];
    return origin === undefined ? [] : [{ service, origin }];
  });
  const load = createTtlCache(
    (requestId: string) =>
      loadMergedOpenApi(sources, {
        timeoutMs: settings.probeTimeoutMs,
        requestId,
        logger: settings.logger,
      }),
    cacheMs,
  );
  return async (_req: Request, res: Response): Promise<void> => {
    const document = await load(requestIdOf(res));
    res.setHeader('cache-control', 'no-cache');
    res.status(200).json(document);
  };
}

// What the gateway serves itself (Swagger UI, /health, its index and problems) carries the web
// image's nginx headers; proxied answers carry their upstream's own instead.
const SECURITY_HEADERS = nginxSecurityHeaders();
const NGINX_CSP = SECURITY_HEADERS['Content-Security-Policy'] ?? '';

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  next();
}

function dropSecurityHeaders(res: Response): void {
  for (const name of Object.keys(SECURITY_HEADERS)) res.removeHeader(name);
}

/**
 * Swagger UI's page inlines two `<style>` elements and a `style` attribute: nginx's CSP plus the
 * hashes of exactly those, computed from the page being sent (never `'unsafe-inline'`).
 */
function withPageCsp(handler: RequestHandler): RequestHandler {
  const policies = new Map<string, string>();
  return (req, res, next) => {
    const send = res.send.bind(res);
    res.send = (body: unknown) => {
      if (typeof body === 'string') {
        let policy = policies.get(body);
        if (policy === undefined) {
          policy = extendCsp(NGINX_CSP, { 'style-src': inlineStyleSources(body) });
          policies.set(body, policy);
        }
        res.setHeader('Content-Security-Policy', policy);
      }
      return send(body);
    };
    handler(req, res, next);
  };
}

function mountSwaggerUi(app: Express): void {
  // BaseLayout: no top bar, whose Swagger logo is an SVG with a <style> React adds at run time,
  // which the CSP would block (and the bar's URL box is hidden here anyway).
  const options = {
    swaggerUrl: OPENAPI_PATH,
    customSiteTitle: MERGED_API_TITLE,
    swaggerOptions: { layout: 'BaseLayout' },
  };
  // The UI's assets are relative (`./swagger-ui.css`), so the page must live at `/api-docs/`.
  app.get(API_DOCS_PATH, (req, res, next) => {
    if (pathOf(req) !== API_DOCS_PATH) return next();
    const query = req.originalUrl.slice(API_DOCS_PATH.length);
    res.redirect(301, `${API_DOCS_PATH}/${query}`);
  });
  app.get(API_DOCS_PATH, withPageCsp(swaggerUi.setup(null, options)));
  // Swagger UI's assets, one label for all of them.
  app.use(API_DOCS_PATH, (_req, res, next) => {
    res.locals['route'] = API_DOCS_PATH;
    next();
  });
  app.use(API_DOCS_PATH, swaggerUi.serveFiles(undefined, options));
}

function serviceUnavailable(service: ServiceName, req: Request, res: Response): void {
  const variable = UPSTREAM_ENV.find(([name]) => name === service)?.[1] ?? 'its URL';
  const prefixes = ROUTES.filter((route) => route.service === service).map((r) => r.prefix);
  sendProblem(res, {
    status: 503,
    title: 'Service unavailable',
    code: 'gateway.service_unavailable',
    detail: `The ${service} service is not configured for this gateway (set ${variable}); it serves ${prefixes.join(', ')}.`,
    instance: pathOf(req),
    requestId: requestIdOf(res),
  });
}

function notFound(req: Request, res: Response): void {
  sendProblem(res, {
    status: 404,
    title: 'Not found',
    code: 'route.not_found',
    detail: `No route for ${req.method} ${pathOf(req)}.`,
    instance: pathOf(req),
    requestId: requestIdOf(res),
  });
}

async function sendIndex(settings: GatewaySettings, res: Response): Promise<void> {
  const services = await serviceStates(settings, res);
  res.status(200).json({
    name: 'UMS local API gateway',
    routes: ROUTES.map((route) => ({ ...route, state: services[route.service] })),
    services,
    links: { health: '/health', apiDocs: `${API_DOCS_PATH}/`, openapi: OPENAPI_PATH },
  });
}

function dispatch(settings: GatewaySettings) {
  const proxyTo = (target: ProxyTarget, req: Request, res: Response): void => {
    dropSecurityHeaders(res);
    proxyRequest(req, res, target, {
      path: req.originalUrl,
      requestId: requestIdOf(res),
      timeoutMs: settings.upstreamTimeoutMs,
      logger: settings.logger,
      sourceAddress: settings.sourceAddress,
    });
  };

  return async (req: Request, res: Response): Promise<void> => {
    const route = matchRoute(pathOf(req));
    // The metric's route label: the prefix matched, never the raw path (ids, tokens).
    res.locals['route'] = route?.prefix ?? UNMATCHED_ROUTE;
    if (route) {
      const origin = settings.origins[route.service];
      if (origin === undefined) return serviceUnavailable(route.service, req, res);
      return proxyTo({ service: route.service, origin }, req, res);
    }
    if (inGatewayNamespace(pathOf(req))) return notFound(req, res);
    if (settings.origins.web !== undefined) {
      return proxyTo({ service: 'web', origin: settings.origins.web }, req, res);
    }
    if (pathOf(req) === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      return sendIndex(settings, res);
    }
    notFound(req, res);
  };
}

/** A request that has already passed this gateway is a routing loop: answer instead of forwarding. */
function refuseLoops(req: Request, res: Response, next: NextFunction): void {
  if (!passedThisGateway(req.headers.via)) return next();
  sendProblem(res, {
    status: 508,
    title: 'Loop detected',
    code: 'gateway.loop_detected',
    detail: 'This request has already passed the gateway once; it is not forwarded again.',
    instance: pathOf(req),
    requestId: requestIdOf(res),
  });
}

function handleErrors(logger: GatewayLogger) {
  // Express recognizes error middleware by arity, so the unused `next` must stay.
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    logger.error('gateway error', {
      error: describeError(error),
      path: pathOf(req),
      requestId: requestIdOf(res),
    });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(res, {
      status: 500,
      title: 'Internal gateway error',
      code: 'gateway.internal_error',
      // The error itself is in the log: its message may name internal addresses.
      detail: 'The gateway could not handle this request.',
      instance: pathOf(req),
      requestId: requestIdOf(res),
    });
  };
}

/**
 * The local stand-in for the Kubernetes Ingress: routes the fixed prefix table to whichever
 * services are configured, and serves `/health`, `/metrics` (request durations by matched
 * prefix, see docs/observability.md), the merged OpenAPI document and Swagger UI.
 * Throws GatewayConfigError if an upstream URL is not a bare http(s) origin.
 */
export function createGateway(options: CreateGatewayOptions): Express {
  const settings: GatewaySettings = {
    origins: normalizeOrigins(options.upstreams),
    logger: options.logger ?? silentLogger,
    probeTimeoutMs: options.probeTimeoutMs ?? 2_000,
    upstreamTimeoutMs: options.upstreamTimeoutMs ?? 60_000,
    sourceAddress: options.sourceAddress,
  };
  const metrics = options.metrics ?? createMetrics({ serviceName: 'gateway' });
  const app = express();
  app.disable('x-powered-by');
  app.use(
    assignRequestId,
    logRequests(settings.logger),
    metrics.httpMetrics,
    securityHeaders,
    refuseLoops,
  );
  app.get('/health', healthHandler(settings));
  app.get('/metrics', metrics.metricsHandler);
  app.get(OPENAPI_PATH, openApiHandler(settings, options.openApiCacheMs ?? 5_000));
  mountSwaggerUi(app);
  app.use(dispatch(settings));
  app.use(handleErrors(settings.logger));
  return app;
}

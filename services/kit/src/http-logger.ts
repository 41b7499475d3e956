import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from './logger.ts';
import { REDACTED, sensitiveHeaders } from './logger.ts';
import { routeLabel } from './route.ts';

export interface HttpLoggerOptions {
  /** Successful requests to these exact paths are not logged (probe and scrape noise). */
  ignorePaths?: readonly string[];
}

export const defaultIgnorePaths: readonly string[] = ['/health', '/ready', '/metrics'];

/** Removes the query string (and fragment): query strings may carry tokens. */
export function stripQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

const SENSITIVE = new Set<string>(sensitiveHeaders);

// Redacted here as well as by the logger, so a logger built without `createLogger` cannot leak.
function safeHeaders(headers: IncomingHttpHeaders | OutgoingHttpHeaders): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (SENSITIVE.has(lower)) out[lower] = REDACTED;
    else if ((lower === 'referer' || lower === 'referrer') && typeof value === 'string') {
      out[lower] = stripQuery(value);
    } else out[lower] = value;
  }
  return out;
}

interface SerializedReq {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: IncomingHttpHeaders;
  remoteAddress?: string;
}

interface SerializedRes {
  statusCode?: number;
  headers?: OutgoingHttpHeaders;
}

// pino-http hands custom serializers the standard serialization; we rebuild it without `query`
// and `params` (both may hold tokens) and with the path only.
function serializeReq(req: SerializedReq) {
  return {
    id: req.id,
    method: req.method,
    url: stripQuery(req.url ?? ''),
    headers: safeHeaders(req.headers ?? {}),
    remoteAddress: req.remoteAddress,
  };
}

function serializeRes(res: SerializedRes) {
  return { statusCode: res.statusCode, headers: safeHeaders(res.headers ?? {}) };
}

function requestPath(req: Request): string {
  return stripQuery(req.originalUrl || req.url);
}

/** Access log middleware: one line per finished request, after `requestId()`. */
export function httpLogger(logger: Logger, options: HttpLoggerOptions = {}): RequestHandler {
  const ignore = new Set(options.ignorePaths ?? defaultIgnorePaths);
  const middleware = pinoHttp<Request, Response>({
    logger,
    // Handlers get `req.log` bound to just the request id; the access line carries the full req.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    genReqId: (req) => req.id ?? randomUUID(),
    serializers: { req: serializeReq, res: serializeRes },
    autoLogging: { ignore: (req) => ignore.has(requestPath(req)) },
    customLogLevel: (_req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      return res.statusCode >= 400 ? 'warn' : 'info';
    },
    customSuccessObject: (req, res, value: Record<string, unknown>) => ({
      ...value,
      route: routeLabel(req, res),
    }),
    customErrorObject: (req, res, _err, value: Record<string, unknown>) => ({
      ...value,
      route: routeLabel(req, res),
    }),
    customSuccessMessage: (req, res, responseTime) =>
      `${req.method} ${requestPath(req)} ${res.statusCode} ${responseTime}ms`,
    customErrorMessage: (req, res) => `${req.method} ${requestPath(req)} ${res.statusCode} failed`,
  });
  return (req, res, next) => middleware(req, res, next);
}

import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import express from 'express';
import type { Request, RequestHandler, Response } from 'express';
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

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- augmenting Express's Request type
  namespace Express {
    interface Request {
      /** A logger bound to this request's id (created on first use). */
      log: Logger;
    }
  }
}

function serializeReq(req: Request) {
  return {
    id: req.id,
    method: req.method,
    url: stripQuery(req.originalUrl || req.url),
    headers: safeHeaders(req.headers),
    remoteAddress: req.socket.remoteAddress,
  };
}

function serializeRes(res: Response) {
  return { statusCode: res.statusCode, headers: safeHeaders(res.getHeaders()) };
}

function requestPath(req: Request): string {
  return stripQuery(req.originalUrl || req.url);
}

function levelFor(status: number): 'error' | 'warn' | 'info' {
  if (status >= 500) return 'error';
  return status >= 400 ? 'warn' : 'info';
}

// The logger `req.log` derives from, and the derived child once made. Plain (symbol-keyed)
// properties set the same way on every request, so request objects keep one shape.
const PARENT_LOGGER = Symbol('ums.parentLogger');
const CHILD_LOGGER = Symbol('ums.childLogger');

interface LoggedRequest {
  id?: string;
  [PARENT_LOGGER]?: Logger;
  [CHILD_LOGGER]?: Logger;
}

// `req.log` is an accessor on Express's request prototype, defined once, rather than a property
// defined on each request: `Object.defineProperty` on every request object turned them into
// dictionary-mode objects, which cost more than all the rest of the kit's middleware together.
let logAccessorDefined = false;
function defineLogAccessor(): void {
  if (logAccessorDefined) return;
  logAccessorDefined = true;
  Object.defineProperty(express.request, 'log', {
    configurable: true,
    enumerable: false,
    get(this: LoggedRequest): Logger | undefined {
      const parent = this[PARENT_LOGGER];
      if (parent === undefined) return undefined;
      return (this[CHILD_LOGGER] ??= parent.child({ requestId: this.id }));
    },
    set(this: LoggedRequest, value: Logger) {
      this[CHILD_LOGGER] = value;
      this[PARENT_LOGGER] ??= value;
    },
  });
}

/**
 * Access log middleware: one line per finished request, after `requestId()`. Written by hand
 * rather than with pino-http, which builds two child loggers (each redacted) on every request
 * whether or not a line is written: that was the largest cost of a request in the benchmarks.
 * Here nothing is serialized unless the line's level is enabled.
 */
export function httpLogger(logger: Logger, options: HttpLoggerOptions = {}): RequestHandler {
  const ignore = new Set(options.ignorePaths ?? defaultIgnorePaths);
  defineLogAccessor();
  return function accessLog(req, res, next) {
    if (req.id === undefined) req.id = randomUUID();
    (req as LoggedRequest)[PARENT_LOGGER] = logger;
    const started = performance.now();
    // 'close' follows 'finish' on every response, and is the only event when the client went
    // away first: one listener covers both.
    res.on('close', () => {
      const status = res.statusCode;
      const level = levelFor(status);
      if (!logger.isLevelEnabled(level)) return;
      const path = requestPath(req);
      if (ignore.has(path)) return;
      const responseTime = Math.round(performance.now() - started);
      logger[level](
        {
          requestId: req.id,
          req: serializeReq(req),
          res: serializeRes(res),
          route: routeLabel(req, res),
          responseTime,
        },
        res.writableFinished
          ? `${req.method} ${path} ${status} ${responseTime}ms`
          : `${req.method} ${path} ${status} aborted`,
      );
    });
    next();
  };
}

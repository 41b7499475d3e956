import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from './logger.ts';

export const DEFAULT_ERROR_TYPE_BASE = 'urn:ums:problem:';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  /** Dotted path into the request body, e.g. `address.zip` or `items.0.name`. */
  path: string;
  message: string;
  /** Machine-readable reason (zod issue code), usable as an i18n key. */
  code?: string;
}

export interface AppErrorOptions {
  /** Stable machine string such as `auth.invalid_credentials`; doubles as an i18n key. */
  code: string;
  status: number;
  title?: string;
  /** Shown to the client: never put internals or secrets here. */
  detail?: string;
  errors?: FieldError[];
  cause?: unknown;
  /** Extra response headers, e.g. `Retry-After` or `Allow`. */
  headers?: Record<string, string>;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor({ code, status, title, detail, errors, cause, headers }: AppErrorOptions) {
    super(detail ?? code, cause === undefined ? undefined : { cause });
    this.code = code;
    this.status = status;
    this.title = title ?? STATUS_CODES[status] ?? 'Error';
    this.detail = detail;
    this.errors = errors;
    this.headers = headers ?? {};
  }
}

export type AppErrorExtras = Pick<AppErrorOptions, 'errors' | 'cause' | 'headers'>;

function factory(status: number) {
  return (code: string, detail?: string, extras: AppErrorExtras = {}) =>
    new AppError({ code, status, detail, ...extras });
}

export const badRequest = factory(400);
export const unauthorized = factory(401);
export const forbidden = factory(403);
export const notFound = factory(404);
export const conflict = factory(409);
export const tooManyRequests = factory(429);
export const serviceUnavailable = factory(503);

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  requestId?: string;
  errors?: FieldError[];
}

export interface ProblemDetailsInput {
  code: string;
  status: number;
  title?: string;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  typeBase?: string;
}

/** Builds an RFC 9457 body; `type` is `<typeBase><code>` (a URN by default, or a URL base ending in `/`). */
export function problemDetails(input: ProblemDetailsInput): ProblemDetails {
  const base = input.typeBase ?? DEFAULT_ERROR_TYPE_BASE;
  const body: ProblemDetails = {
    type: `${base}${/^https?:\/\//.test(base) && !base.endsWith('/') ? '/' : ''}${input.code}`,
    title: input.title ?? STATUS_CODES[input.status] ?? 'Error',
    status: input.status,
    code: input.code,
  };
  if (input.detail !== undefined) body.detail = input.detail;
  if (input.instance !== undefined) body.instance = input.instance;
  if (input.requestId !== undefined) body.requestId = input.requestId;
  if (input.errors !== undefined) body.errors = input.errors;
  return body;
}

function fromZodError(error: z.core.$ZodError): AppError {
  return badRequest('request.validation_failed', 'The request is invalid.', {
    errors: error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
      code: issue.code,
    })),
  });
}

// body-parser / http-errors set `type` and `status` on their errors.
const bodyParserErrors: Record<string, { status: number; code: string; detail: string }> = {
  'entity.parse.failed': {
    status: 400,
    code: 'request.malformed_json',
    detail: 'The request body is not valid JSON.',
  },
  'entity.too.large': {
    status: 413,
    code: 'request.too_large',
    detail: 'The request body is too large.',
  },
  'parameters.too.many': {
    status: 413,
    code: 'request.too_large',
    detail: 'The request has too many parameters.',
  },
  'encoding.unsupported': {
    status: 415,
    code: 'request.unsupported_media_type',
    detail: 'The content encoding is not supported.',
  },
  'charset.unsupported': {
    status: 415,
    code: 'request.unsupported_media_type',
    detail: 'The charset is not supported.',
  },
  'request.aborted': {
    status: 400,
    code: 'request.aborted',
    detail: 'The request was aborted by the client.',
  },
};

function httpErrorStatus(err: object): number | undefined {
  const status = 'status' in err ? err.status : 'statusCode' in err ? err.statusCode : undefined;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** Maps anything thrown to an AppError; `undefined` means "unexpected" (→ 500). */
// A dependency that is down or restarting (PostgreSQL, MongoDB, Redis): the request may succeed
// on retry, so it is a 503, not a 500. Node socket errors, PostgreSQL connection-class SQLSTATEs
// (08xxx, 57P0x shutdown/crash), and the drivers' own "not connected" errors.
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
]);
const unavailableNames = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
]);

export function isDependencyUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = 'code' in err ? String(err.code) : '';
  const name = 'name' in err ? String(err.name) : '';
  const message = 'message' in err ? String(err.message) : '';
  return (
    unavailableCodes.has(code) ||
    code.startsWith('08') ||
    unavailableNames.has(name) ||
    /^Connection terminated|timeout exceeded when trying to connect|Connection is closed|Stream isn't writeable/.test(
      message,
    )
  );
}

export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof z.core.$ZodError) return fromZodError(err);
  if (typeof err !== 'object' || err === null) return undefined;
  if (isDependencyUnavailable(err)) {
    return new AppError({
      code: 'service.unavailable',
      status: 503,
      detail: 'A dependency is unavailable; retry shortly.',
      headers: { 'Retry-After': '5' },
      cause: err,
    });
  }
  const type = 'type' in err && typeof err.type === 'string' ? err.type : undefined;
  const known = type === undefined ? undefined : bodyParserErrors[type];
  if (known) return new AppError({ ...known, cause: err });
  // Other http-errors 4xx (flagged `expose`) are client mistakes, not server faults.
  const status = httpErrorStatus(err);
  if (status !== undefined && 'expose' in err && err.expose === true) {
    return new AppError({ code: 'request.invalid', status, cause: err });
  }
  return undefined;
}

function requestPath(req: Request): string {
  return (req.originalUrl || req.url).split(/[?#]/, 1)[0] ?? '/';
}

export interface ErrorHandlerOptions {
  logger: Logger;
  /** Base URI for problem `type`; defaults to urn:ums:problem:. */
  typeBase?: string;
}

/** Express error middleware rendering RFC 9457 problem+json. Register it last. */
export function createErrorHandler({ logger, typeBase }: ErrorHandlerOptions): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    // Too late for a problem body; Express's default handler will close the connection.
    if (res.headersSent) return next(err);
    const requestId = typeof req.id === 'string' ? req.id : undefined;
    const appError = toAppError(err);
    if (appError === undefined) {
      logger.error(
        { err, requestId, method: req.method, path: requestPath(req) },
        'unhandled error',
      );
    } else if (appError.status >= 500) {
      logger.warn({ err: appError, requestId, path: requestPath(req) }, appError.code);
    }
    const error =
      appError ??
      new AppError({ code: 'internal', status: 500, detail: 'An unexpected error occurred.' });
    const body = problemDetails({
      code: error.code,
      status: error.status,
      title: error.title,
      detail: error.detail,
      instance: requestPath(req),
      requestId,
      errors: error.errors,
      typeBase,
    });
    res.status(error.status).set(error.headers);
    // RFC 9110 11.6.1: a 401 must name a scheme; token failures set their own RFC 6750 challenge.
    if (error.status === 401 && !res.hasHeader('WWW-Authenticate'))
      res.set('WWW-Authenticate', 'Bearer');
    res.type(PROBLEM_CONTENT_TYPE).json(body);
  };
}

/** Shorthand for `createErrorHandler({ logger })`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return createErrorHandler({ logger });
}

/** Catch-all after the routes: 404 `route.not_found`. */
export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => {
    next(notFound('route.not_found', 'No route matches this path.'));
  };
}

/** Use as `router.route('/x').get(...).all(methodNotAllowed(['GET']))`: 405 with `Allow`. */
export function methodNotAllowed(allowed: string[]): RequestHandler {
  const allow = allowed.map((m) => m.toUpperCase()).join(', ');
  return (_req, _res, next) => {
    next(
      new AppError({
        code: 'request.method_not_allowed',
        status: 405,
        detail: `Allowed methods: ${allow}.`,
        headers: { Allow: allow },
      }),
    );
  };
}

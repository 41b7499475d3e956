import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- augmenting Express's own namespace
  namespace Express {
    interface Request {
      /** Set by `requestId()`: the validated incoming X-Request-Id or a fresh UUID. */
      id: string;
    }
  }
}

export const REQUEST_ID_HEADER = 'X-Request-Id';

// Incoming ids end up in logs and response headers, so only accept a conservative alphabet.
const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && VALID_REQUEST_ID.test(value);
}

/** Gives every request an id (`req.id`) and echoes it in the X-Request-Id response header. */
export function requestId(): RequestHandler {
  return function requestId(req, res, next) {
    const incoming = req.headers['x-request-id'];
    const id = isValidRequestId(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}

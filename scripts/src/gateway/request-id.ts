import { randomUUID } from 'node:crypto';

// Incoming ids are echoed into logs and headers, so only a conservative charset/length is trusted.
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/** Keeps a well-formed incoming id (so a caller can correlate), otherwise mints a new UUID. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && ACCEPTED_REQUEST_ID.test(incoming)
    ? incoming
    : randomUUID();
}

import { randomUUID } from 'node:crypto';
import { isValidRequestId } from '@ums/service-kit/request-id';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Keeps a well-formed incoming id (so a caller can correlate), otherwise mints a new UUID. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  return isValidRequestId(incoming) ? incoming : randomUUID();
}

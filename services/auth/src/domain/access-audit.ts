import type { Logger } from '@ums/service-kit/logger';
import type { Queryable } from '../data/db.ts';
import { appendEvent } from '../data/outbox.ts';

/** Who made a request, as the audit trail records it. */
export interface Actor {
  userId: string;
  requestId: string;
  ip: string;
}

/**
 * Records refused admin calls as `auth.access_denied`. Written outside the refused request's
 * transaction (that one rolls back); a failure to audit is logged and never changes the answer,
 * which is a denial either way.
 */
export function createAccessDeniedAudit(db: Queryable, logger: Logger) {
  return async (actor: Actor, data: Record<string, unknown>): Promise<void> => {
    try {
      await appendEvent(db, {
        type: 'auth.access_denied',
        aggregateId: actor.userId,
        actorId: actor.userId,
        requestId: actor.requestId,
        ip: actor.ip,
        data,
      });
    } catch (error) {
      logger.warn({ err: error, requestId: actor.requestId }, 'could not audit a denied call');
    }
  };
}

export type AccessDeniedAudit = ReturnType<typeof createAccessDeniedAudit>;

import type { Queryable } from '../data/db.ts';
import { createSessionsRepository, type RevocationReason } from '../data/sessions-repository.ts';

export type { RevocationReason } from '../data/sessions-repository.ts';

/**
 * The outbox row type that carries ended session ids to the verifiers. The relay sends these to
 * the revocation stream (`revocationStreamOf(EVENTS_STREAM)`), never to the events stream.
 */
export { SESSIONS_ENDED } from '../data/outbox.ts';

const sessions = createSessionsRepository();

/*
 * Every revocation goes through here: the refresh tokens are revoked and, in the same statement,
 * the families that ended are written to the outbox, so their access tokens stop verifying on
 * every replica of both services within about a second of COMMIT (docs/tokens-and-sessions.md).
 * A revocation that rolls back announces nothing; one that commits cannot miss its announcement.
 */

/** Revokes every live refresh token of a user (all sessions); returns how many sessions ended. */
export async function revokeAllSessions(
  db: Queryable,
  userId: string,
  reason: RevocationReason,
  exceptSessionId?: string,
): Promise<number> {
  const ended = await sessions.revokeAllOfUser(db, userId, reason, exceptSessionId);
  return ended.length;
}

/** Revokes one session (a refresh token family) of a user; false when it was not theirs or already ended. */
export async function revokeSession(
  db: Queryable,
  userId: string,
  sessionId: string,
  reason: RevocationReason,
): Promise<boolean> {
  return sessions.revokeOneOfUser(db, userId, sessionId, reason);
}

/** Revokes whatever is still live in a family, whoever holds it; returns how many tokens that was. */
export async function revokeFamily(
  db: Queryable,
  familyId: string,
  reason: RevocationReason,
): Promise<number> {
  return sessions.revokeFamily(db, familyId, reason);
}

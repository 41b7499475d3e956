import type { Queryable } from '../data/db.ts';

export type RevocationReason =
  | 'logout'
  | 'logout_all'
  | 'session_revoked'
  | 'password_changed'
  | 'password_reset'
  | 'mfa_changed'
  | 'suspended'
  | 'deleted'
  | 'admin_revoked'
  | 'token_reuse';

/**
 * The outbox row type that carries ended session ids to the verifiers. The relay sends these to
 * the revocation stream (`revocationStreamOf(EVENTS_STREAM)`), never to the events stream.
 */
export const SESSIONS_ENDED = 'sessions.ended';

/**
 * Every revocation goes through here: the refresh tokens are revoked and, in the same statement,
 * the families that ended are written to the outbox, so their access tokens stop verifying on
 * every replica of both services within about a second of COMMIT (docs/tokens-and-sessions.md).
 * A revocation that rolls back announces nothing; one that commits cannot miss its announcement.
 */
async function revokeWhere(
  db: Queryable,
  name: string,
  condition: string,
  values: unknown[],
): Promise<string[]> {
  const { rows } = await db.query<{ family_id: string }>({
    name,
    text: `WITH ended AS (
         UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $1
         WHERE revoked_at IS NULL AND ${condition}
         RETURNING user_id, family_id
       ), families AS (SELECT DISTINCT user_id, family_id FROM ended), note AS (
         INSERT INTO outbox (type, aggregate_id, payload)
         SELECT '${SESSIONS_ENDED}', user_id::text, jsonb_build_object('data', jsonb_build_object(
           'reason', $1::text, 'sessionIds', jsonb_agg(family_id ORDER BY family_id)))
         FROM families GROUP BY user_id
       )
       SELECT family_id FROM families`,
    values,
  });
  return rows.map((r) => r.family_id);
}

/** Revokes every live refresh token of a user (all sessions); returns how many sessions ended. */
export async function revokeAllSessions(
  db: Queryable,
  userId: string,
  reason: RevocationReason,
  exceptSessionId?: string,
): Promise<number> {
  const ended = await revokeWhere(
    db,
    'sessions.revoke_all',
    'user_id = $2 AND ($3::uuid IS NULL OR family_id <> $3::uuid)',
    [reason, userId, exceptSessionId ?? null],
  );
  return ended.length;
}

/** Revokes one session (a refresh token family) of a user; false when it was not theirs or already ended. */
export async function revokeSession(
  db: Queryable,
  userId: string,
  sessionId: string,
  reason: RevocationReason,
): Promise<boolean> {
  const ended = await revokeWhere(
    db,
    'sessions.revoke_one',
    'user_id = $2 AND family_id = $3::uuid',
    [reason, userId, sessionId],
  );
  return ended.length > 0;
}

/** Revokes whatever is still live in a family, whoever holds it; returns how many tokens that was. */
export async function revokeFamily(
  db: Queryable,
  familyId: string,
  reason: RevocationReason,
): Promise<number> {
  const { rows } = await db.query<{ tokens: string }>({
    name: 'sessions.revoke_family',
    text: `WITH ended AS (
         UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $1
         WHERE revoked_at IS NULL AND family_id = $2::uuid
         RETURNING user_id
       ), note AS (
         INSERT INTO outbox (type, aggregate_id, payload)
         SELECT '${SESSIONS_ENDED}', user_id::text, jsonb_build_object('data', jsonb_build_object(
           'reason', $1::text, 'sessionIds', jsonb_build_array($2::text)))
         FROM ended GROUP BY user_id
       )
       SELECT count(*) AS tokens FROM ended`,
    values: [reason, familyId],
  });
  return Number(rows[0]?.tokens ?? 0);
}

import type { Queryable } from './db.ts';

// Reads for a user's own data export. Each picks its columns by name: token hashes, recovery code
// hashes, sealed TOTP secrets and OIDC login state never leave the database through here.

/** One sign-in session (a refresh-token family), live or ended. */
export interface SessionRecord {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  /** When it ends unless refreshed before (the newest token's idle or absolute end, the earlier). */
  expiresAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  userAgent: string | null;
  ip: string | null;
  device: string | null;
}

export async function sessionHistoryOf(
  db: Queryable,
  userId: string,
  limit: number,
): Promise<SessionRecord[]> {
  const { rows } = await db.query<{
    id: string;
    created_at: Date;
    last_used_at: Date;
    expires_at: Date;
    ended_at: Date | null;
    end_reason: string | null;
    user_agent: string | null;
    ip_address: string | null;
    device: string | null;
  }>(
    `SELECT family_id AS id, min(created_at) AS created_at, max(created_at) AS last_used_at,
       (array_agg(LEAST(expires_at, idle_expires_at) ORDER BY created_at DESC))[1] AS expires_at,
       min(revoked_at) AS ended_at,
       (array_agg(revoked_reason ORDER BY revoked_at) FILTER (WHERE revoked_at IS NOT NULL))[1] AS end_reason,
       (array_agg(user_agent ORDER BY created_at DESC))[1] AS user_agent,
       (array_agg(ip_address ORDER BY created_at DESC))[1] AS ip_address,
       (array_agg(device ORDER BY created_at DESC))[1] AS device
     FROM refresh_tokens WHERE user_id = $1
     GROUP BY family_id ORDER BY max(created_at) DESC LIMIT $2`,
    [userId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    userAgent: r.user_agent,
    ip: r.ip_address,
    device: r.device,
  }));
}

export interface OidcLinkRecord {
  provider: string;
  subject: string;
  email: string | null;
  linkedAt: Date;
  lastLoginAt: Date | null;
}

export async function oidcLinksOf(db: Queryable, userId: string): Promise<OidcLinkRecord[]> {
  const { rows } = await db.query<{
    provider: string;
    subject: string;
    email: string | null;
    created_at: Date;
    last_login_at: Date | null;
  }>(
    `SELECT provider, subject, email, created_at, last_login_at
     FROM oidc_identities WHERE user_id = $1 ORDER BY created_at`,
    [userId],
  );
  return rows.map((r) => ({
    provider: r.provider,
    subject: r.subject,
    email: r.email,
    linkedAt: r.created_at,
    lastLoginAt: r.last_login_at,
  }));
}

/** One event about the user from the outbox, which is also the auth-side audit trail. */
export interface AuditRecord {
  id: string;
  type: string;
  occurredAt: Date;
  actorId: string | null;
  ip: string | null;
  data: Record<string, unknown>;
}

export async function auditTrailOf(
  db: Queryable,
  userId: string,
  limit: number,
): Promise<AuditRecord[]> {
  const { rows } = await db.query<{
    event_id: string;
    type: string;
    created_at: Date;
    payload: { actorId?: string | null; ip?: string | null; data?: Record<string, unknown> };
  }>(
    `SELECT event_id, type, created_at, payload FROM outbox
     WHERE aggregate_id = $1 ORDER BY id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows.map((r) => {
    // The user snapshot repeats the account section at each event's time; it adds nothing here.
    const { user: _snapshot, ...data } = r.payload.data ?? {};
    return {
      id: r.event_id,
      type: r.type,
      occurredAt: r.created_at,
      actorId: r.payload.actorId ?? null,
      ip: r.payload.ip ?? null,
      data,
    };
  });
}

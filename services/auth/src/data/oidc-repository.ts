import type { Queryable } from './db.ts';

/** An OIDC authorization in flight. `codeVerifier` and `nonce` are sealed (see domain/oidc.ts). */
export interface LoginState {
  provider: string;
  codeVerifierSealed: string;
  nonceSealed: string;
  returnTo: string | null;
}

export interface OidcIdentity {
  id: string;
  userId: string;
  provider: string;
  subject: string;
  email: string | null;
}

interface IdentityRow {
  id: string;
  user_id: string;
  provider: string;
  subject: string;
  email: string | null;
}

const toIdentity = (row: IdentityRow): OidcIdentity => ({
  id: row.id,
  userId: row.user_id,
  provider: row.provider,
  subject: row.subject,
  email: row.email,
});

export function createOidcRepository() {
  return {
    async insertLoginState(
      db: Queryable,
      state: LoginState & { stateHash: Buffer; ttlSeconds: number },
    ): Promise<void> {
      // Housekeeping on the way in: expired rows are useless (and replays of them are refused anyway).
      await db.query(
        `DELETE FROM oidc_login_states WHERE state_hash IN
           (SELECT state_hash FROM oidc_login_states WHERE expires_at < now() LIMIT 100)`,
      );
      await db.query(
        `INSERT INTO oidc_login_states (state_hash, provider, code_verifier, nonce, return_to, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
        [
          state.stateHash,
          state.provider,
          state.codeVerifierSealed,
          state.nonceSealed,
          state.returnTo,
          state.ttlSeconds,
        ],
      );
    },

    /** Marks the state used and returns it, only if it is unused, unexpired and for this provider. */
    async consumeLoginState(
      db: Queryable,
      stateHash: Buffer,
      provider: string,
    ): Promise<LoginState | undefined> {
      const { rows } = await db.query<{
        provider: string;
        code_verifier: string;
        nonce: string;
        return_to: string | null;
      }>(
        `UPDATE oidc_login_states SET used_at = now()
         WHERE state_hash = $1 AND provider = $2 AND used_at IS NULL AND expires_at > now()
         RETURNING provider, code_verifier, nonce, return_to`,
        [stateHash, provider],
      );
      const row = rows[0];
      return (
        row && {
          provider: row.provider,
          codeVerifierSealed: row.code_verifier,
          nonceSealed: row.nonce,
          returnTo: row.return_to,
        }
      );
    },

    async findIdentity(
      db: Queryable,
      provider: string,
      subject: string,
    ): Promise<OidcIdentity | undefined> {
      const { rows } = await db.query<IdentityRow>(
        `SELECT id, user_id, provider, subject, email FROM oidc_identities
         WHERE provider = $1 AND subject = $2 FOR UPDATE`,
        [provider, subject],
      );
      return rows[0] && toIdentity(rows[0]);
    },

    async linkIdentity(
      db: Queryable,
      identity: { userId: string; provider: string; subject: string; email: string | null },
    ): Promise<OidcIdentity> {
      const { rows } = await db.query<IdentityRow>(
        `INSERT INTO oidc_identities (user_id, provider, subject, email, last_login_at)
         VALUES ($1, $2, $3, $4, now())
         RETURNING id, user_id, provider, subject, email`,
        [identity.userId, identity.provider, identity.subject, identity.email],
      );
      const row = rows[0];
      if (!row) throw new Error('INSERT ... RETURNING returned no row');
      return toIdentity(row);
    },

    async recordIdentityLogin(
      db: Queryable,
      identityId: string,
      email: string | null,
    ): Promise<void> {
      await db.query(
        'UPDATE oidc_identities SET last_login_at = now(), email = COALESCE($2, email) WHERE id = $1',
        [identityId, email],
      );
    },

    async recordUserLogin(db: Queryable, userId: string): Promise<void> {
      await db.query('UPDATE users SET last_login_at = now() WHERE id = $1', [userId]);
    },
  };
}

export type OidcRepository = ReturnType<typeof createOidcRepository>;

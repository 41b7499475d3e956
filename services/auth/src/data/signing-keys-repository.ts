import type { JWK } from 'jose';
import type { Queryable } from './db.ts';

/** A token signing key as stored: the public half as a JWK, the private half sealed (PKCS#8). */
export interface SigningKeyRecord {
  kid: string;
  publicJwk: JWK;
  privateKeyEnc: string;
  createdAt: Date;
  /** When it stopped signing; null for the active key. */
  retiredAt: Date | null;
  /** End of its publication in the JWKS; null until retired. */
  expiresAt: Date | null;
}

interface KeyRow {
  kid: string;
  public_jwk: JWK;
  private_key_enc: string;
  created_at: Date;
  retired_at: Date | null;
  expires_at: Date | null;
}

const toKey = (row: KeyRow): SigningKeyRecord => ({
  kid: row.kid,
  publicJwk: row.public_jwk,
  privateKeyEnc: row.private_key_enc,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
  expiresAt: row.expires_at,
});

// Serialises key creation across replicas: the first to start creates the key, others read it.
const KEY_LOCK = 7_330_001;

export function createSigningKeysRepository() {
  return {
    /** Keys still published (active and recently retired), newest first. */
    async published(db: Queryable): Promise<SigningKeyRecord[]> {
      const { rows } = await db.query<KeyRow>(
        `SELECT kid, public_jwk, private_key_enc, created_at, retired_at, expires_at FROM signing_keys
         WHERE expires_at IS NULL OR expires_at > now() ORDER BY created_at DESC`,
      );
      return rows.map(toKey);
    },

    /** The key that signs now (the newest unretired one). */
    async active(db: Queryable): Promise<SigningKeyRecord | undefined> {
      const { rows } = await db.query<KeyRow>(
        `SELECT kid, public_jwk, private_key_enc, created_at, retired_at, expires_at FROM signing_keys
         WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
      );
      return rows[0] && toKey(rows[0]);
    },

    /** Seconds since the active key was created; undefined without one. */
    async activeKeyAgeSeconds(db: Queryable): Promise<number | undefined> {
      const { rows } = await db.query<{ age: number }>(
        `SELECT extract(epoch FROM now() - created_at)::float8 AS age FROM signing_keys
         WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
      );
      return rows[0]?.age;
    },

    async insert(
      db: Queryable,
      key: { kid: string; publicJwk: JWK; privateKeyEnc: string },
    ): Promise<void> {
      await db.query(
        'INSERT INTO signing_keys (kid, public_jwk, private_key_enc) VALUES ($1, $2, $3)',
        [key.kid, JSON.stringify(key.publicJwk), key.privateKeyEnc],
      );
    },

    /** Retires every unretired key; each stays published for `publishForSeconds` more. */
    async retireActive(db: Queryable, publishForSeconds: number): Promise<void> {
      await db.query(
        `UPDATE signing_keys SET retired_at = now(), expires_at = now() + make_interval(secs => $1)
         WHERE retired_at IS NULL`,
        [publishForSeconds],
      );
    },

    /** Held until the transaction ends: one key change at a time across replicas. */
    async lockKeyChanges(tx: Queryable): Promise<void> {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
    },
  };
}

export type SigningKeysRepository = ReturnType<typeof createSigningKeysRepository>;

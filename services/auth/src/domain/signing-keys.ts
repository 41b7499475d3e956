import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import {
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  type JWK,
  type CryptoKey,
} from 'jose';
import type { Db } from '../data/db.ts';
import type { Sealer } from './crypto.ts';

interface KeyRow {
  kid: string;
  public_jwk: JWK;
  private_key_enc: string;
  created_at: Date;
  retired_at: Date | null;
  expires_at: Date | null;
}

export interface PublicKey {
  kid: string;
  jwk: JWK;
  spkiPem: string;
  /** End of publication (retired keys); checked at lookup so a cached key cannot outlive it. */
  expiresAt: Date | null;
}

const stillPublished = (key: PublicKey) =>
  key.expiresAt === null || key.expiresAt.getTime() > Date.now();

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The same key for node:crypto, which signs without a trip through the thread pool. */
  keyObject: KeyObject;
}

// Serialises key creation across replicas: the first to start creates the key, others read it.
const KEY_LOCK = 7_330_001;

/**
 * RS256 signing keys: generated at first start, stored with the private half sealed under the
 * key-encryption key, rotated on a schedule or on demand. A retired key stops signing at once and
 * stays in the JWKS until every token it signed has expired.
 */
export function createSigningKeys(deps: {
  db: Db;
  sealer: Sealer;
  accessTokenTtl: number;
  rotationInterval: number;
}) {
  let cache: { at: number; keys: PublicKey[] } | undefined;
  let signer: (SigningKey & { rotatedBefore: number }) | undefined;

  async function publishedRows(): Promise<KeyRow[]> {
    const { rows } = await deps.db.query<KeyRow>(
      `SELECT kid, public_jwk, private_key_enc, created_at, retired_at, expires_at FROM signing_keys
       WHERE expires_at IS NULL OR expires_at > now() ORDER BY created_at DESC`,
    );
    return rows;
  }

  async function createKey(client: Pick<Db, 'query'>): Promise<string> {
    const kid = randomUUID();
    const { publicKey, privateKey } = await generateKeyPair('RS256', {
      modulusLength: 2048,
      extractable: true,
    });
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    await client.query(
      'INSERT INTO signing_keys (kid, public_jwk, private_key_enc) VALUES ($1, $2, $3)',
      [kid, JSON.stringify(jwk), deps.sealer.seal(await exportPKCS8(privateKey))],
    );
    return kid;
  }

  async function withKeyLock(work: (client: Pick<Db, 'query'>) => Promise<void>): Promise<void> {
    const client = await deps.db.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    cache = undefined;
    signer = undefined;
  }

  async function activeRow(client: Pick<Db, 'query'>): Promise<KeyRow | undefined> {
    const { rows } = await client.query<KeyRow>(
      `SELECT kid, public_jwk, private_key_enc, created_at, retired_at, expires_at FROM signing_keys
       WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
    );
    return rows[0];
  }

  async function retireAndCreate(client: Pick<Db, 'query'>): Promise<string> {
    await client.query(
      `UPDATE signing_keys SET retired_at = now(), expires_at = now() + make_interval(secs => $1)
       WHERE retired_at IS NULL`,
      [deps.accessTokenTtl + 60],
    );
    return createKey(client);
  }

  const isDue = (active: KeyRow | undefined) =>
    !active || Date.now() - active.created_at.getTime() >= deps.rotationInterval * 1000;

  const keys = {
    /** Makes sure a signing key exists (first start). */
    async ensureKey(): Promise<void> {
      if (await activeRow(deps.db)) return;
      await withKeyLock(async (client) => {
        if (!(await activeRow(client))) await createKey(client);
      });
    },

    /** Retires the active key (kept published for one token lifetime plus a minute) and creates a new one. */
    async rotate(): Promise<string> {
      let kid = '';
      await withKeyLock(async (client) => {
        kid = await retireAndCreate(client);
      });
      return kid;
    },

    /** Rotates when the active key is older than the rotation interval; returns whether it did. */
    async rotateIfDue(): Promise<boolean> {
      if (!isDue(await activeRow(deps.db))) return false;
      let rotated = false;
      await withKeyLock(async (client) => {
        // Asked again under the lock: another replica may have rotated while we waited for it.
        if (!isDue(await activeRow(client))) return;
        await retireAndCreate(client);
        rotated = true;
      });
      return rotated;
    },

    /** Seconds since the active key was created (the key-age metric); undefined without one. */
    async activeKeyAgeSeconds(): Promise<number | undefined> {
      const { rows } = await deps.db.query<{ age: number }>(
        `SELECT extract(epoch FROM now() - created_at)::float8 AS age FROM signing_keys
         WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
      );
      return rows[0]?.age;
    },

    /** The key to sign with now. Cached briefly so signing costs no database round trip. */
    async currentSigner(): Promise<SigningKey> {
      if (signer && Date.now() < signer.rotatedBefore) return signer;
      const row = await activeRow(deps.db);
      if (!row) throw new Error('no signing key: call ensureKey() at start-up');
      const pem = deps.sealer.open(row.private_key_enc);
      const privateKey = await importPKCS8(pem, 'RS256');
      signer = {
        kid: row.kid,
        privateKey,
        keyObject: createPrivateKey(pem),
        rotatedBefore: Date.now() + 30_000,
      };
      return signer;
    },

    /** Keys to verify with (the JWKS): active and recently retired ones. */
    async publicKeys(maxAgeMs = 30_000): Promise<PublicKey[]> {
      if (cache && Date.now() - cache.at < maxAgeMs) return cache.keys;
      const rows = await publishedRows();
      const list = await Promise.all(
        rows.map(async (row) => {
          const { importJWK } = await import('jose');
          const key = (await importJWK(row.public_jwk, 'RS256')) as CryptoKey;
          return {
            kid: row.kid,
            jwk: row.public_jwk,
            spkiPem: await exportSPKI(key),
            expiresAt: row.expires_at,
          };
        }),
      );
      cache = { at: Date.now(), keys: list };
      return list;
    },

    /** Looks a kid up, re-reading the table once when it is unknown (a key just rotated elsewhere). */
    async findPublicKey(kid: string): Promise<PublicKey | undefined> {
      const found = (await keys.publicKeys()).find((k) => k.kid === kid);
      if (found) return stillPublished(found) ? found : undefined;
      if (cache && Date.now() - cache.at < 1_000) return undefined;
      return (await keys.publicKeys(0)).find((k) => k.kid === kid && stillPublished(k));
    },

    async jwks(): Promise<{ keys: JWK[] }> {
      return { keys: (await keys.publicKeys()).filter(stillPublished).map((k) => k.jwk) };
    },
  };
  return keys;
}

export type SigningKeys = ReturnType<typeof createSigningKeys>;

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
import { withTransaction, type Db, type Queryable } from '../data/db.ts';
import {
  createSigningKeysRepository,
  type SigningKeyRecord,
} from '../data/signing-keys-repository.ts';
import type { Sealer } from './crypto.ts';

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

const repo = createSigningKeysRepository();

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

  async function createKey(client: Queryable): Promise<string> {
    const kid = randomUUID();
    const { publicKey, privateKey } = await generateKeyPair('RS256', {
      modulusLength: 2048,
      extractable: true,
    });
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    await repo.insert(client, {
      kid,
      publicJwk: jwk,
      privateKeyEnc: deps.sealer.seal(await exportPKCS8(privateKey)),
    });
    return kid;
  }

  // Serialised across replicas: the first to start creates the key, the others wait and read it.
  async function withKeyLock(work: (client: Queryable) => Promise<void>): Promise<void> {
    await withTransaction(deps.db, async (client) => {
      await repo.lockKeyChanges(client);
      await work(client);
    });
    cache = undefined;
    signer = undefined;
  }

  async function retireAndCreate(client: Queryable): Promise<string> {
    await repo.retireActive(client, deps.accessTokenTtl + 60);
    return createKey(client);
  }

  const isDue = (active: SigningKeyRecord | undefined) =>
    !active || Date.now() - active.createdAt.getTime() >= deps.rotationInterval * 1000;

  const keys = {
    /** Makes sure a signing key exists (first start). */
    async ensureKey(): Promise<void> {
      if (await repo.active(deps.db)) return;
      await withKeyLock(async (client) => {
        if (!(await repo.active(client))) await createKey(client);
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
      if (!isDue(await repo.active(deps.db))) return false;
      let rotated = false;
      await withKeyLock(async (client) => {
        // Asked again under the lock: another replica may have rotated while we waited for it.
        if (!isDue(await repo.active(client))) return;
        await retireAndCreate(client);
        rotated = true;
      });
      return rotated;
    },

    /** Seconds since the active key was created (the key-age metric); undefined without one. */
    async activeKeyAgeSeconds(): Promise<number | undefined> {
      return repo.activeKeyAgeSeconds(deps.db);
    },

    /** The key to sign with now. Cached briefly so signing costs no database round trip. */
    async currentSigner(): Promise<SigningKey> {
      if (signer && Date.now() < signer.rotatedBefore) return signer;
      const row = await repo.active(deps.db);
      if (!row) throw new Error('no signing key: call ensureKey() at start-up');
      const pem = deps.sealer.open(row.privateKeyEnc);
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
      const rows = await repo.published(deps.db);
      const list = await Promise.all(
        rows.map(async (row) => {
          const { importJWK } = await import('jose');
          const key = (await importJWK(row.publicJwk, 'RS256')) as CryptoKey;
          return {
            kid: row.kid,
            jwk: row.publicJwk,
            spkiPem: await exportSPKI(key),
            expiresAt: row.expiresAt,
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

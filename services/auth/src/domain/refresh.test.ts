import type { Db, DbClient } from '../data/db.ts';
import type { UserRecord } from '../data/users-repository.ts';
import { createTestAuth, uniqueSuffix, type TestAuth } from '../test/harness.ts';
import { createRefreshRotation } from './refresh.ts';
import { countLiveSessions, listSessions } from './session-list.ts';
import { revokeSession } from './session-revocation.ts';
import type { AccessClaims } from './tokens.ts';

const info = { ip: '192.0.2.1', userAgent: 'jest', requestId: 'refresh-unit-test' };

describe('refresh-token rotation (domain)', () => {
  let t: TestAuth;
  beforeAll(async () => {
    t = await createTestAuth();
  });
  afterAll(async () => t.close());

  function rotation(
    overrides: { db?: Db; signAccessToken?: (claims: AccessClaims) => Promise<string> } = {},
  ) {
    const { signer } = t.container;
    return createRefreshRotation({
      db: overrides.db ?? t.container.db,
      signer: {
        accessTokenTtl: signer.accessTokenTtl,
        signAccessToken: overrides.signAccessToken ?? signer.signAccessToken,
      },
      idleTtl: t.config.REFRESH_IDLE_TTL,
      metrics: t.container.business,
    });
  }

  async function signIn(): Promise<{ user: UserRecord; refreshToken: string; sessionId: string }> {
    const user = await t.container.users.insert(t.container.db, {
      email: `rot-${uniqueSuffix()}@example.test`,
      passwordHash: null,
      role: 'user',
    });
    const pair = await t.container.sessions.issue(t.container.db, user, info);
    return { user, refreshToken: pair.refreshToken, sessionId: pair.sessionId };
  }

  async function familyRows(familyId: string) {
    const { rows } = await t.container.db.query<{
      used_at: Date | null;
      revoked_at: Date | null;
      expires_at: Date;
      idle_expires_at: Date;
    }>(
      'SELECT used_at, revoked_at, expires_at, idle_expires_at FROM refresh_tokens WHERE family_id = $1 ORDER BY created_at',
      [familyId],
    );
    return rows;
  }

  it('when signing fails after the token was marked used and its child inserted, then all of it rolls back', async () => {
    const session = await signIn();
    const failing = rotation({
      signAccessToken: () => Promise.reject(new Error('HSM unavailable')),
    });
    await expect(failing.rotate(session.refreshToken, info)).rejects.toThrow('HSM unavailable');

    const rows = await familyRows(session.sessionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.used_at).toBeNull();
    const retried = await rotation().rotate(session.refreshToken, info);
    expect(retried.ok).toBe(true);
  });

  it('when the connection dies at COMMIT, then the old token is still the only live one', async () => {
    const session = await signIn();
    const pool = t.container.db;
    // A pool whose clients lose COMMIT, as when the database goes away at that instant.
    const dying = {
      connect: async (): Promise<DbClient> => {
        const client = await pool.connect();
        const query = client.query.bind(client);
        const release = client.release.bind(client);
        client.query = ((text: unknown, ...rest: unknown[]) =>
          text === 'COMMIT'
            ? Promise.reject(new Error('Connection terminated unexpectedly'))
            : (query as (...a: unknown[]) => unknown)(text, ...rest)) as typeof client.query;
        client.release = (error?: Error | boolean) => {
          client.query = query;
          return release(error);
        };
        return client;
      },
    } as unknown as Db;
    await expect(rotation({ db: dying }).rotate(session.refreshToken, info)).rejects.toThrow(
      'Connection terminated',
    );

    const rows = await familyRows(session.sessionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.used_at).toBeNull();
    expect((await rotation().rotate(session.refreshToken, info)).ok).toBe(true);
  });

  it('when a logout races a rotation, then the child minted under it is refused and never listed', async () => {
    const session = await signIn();
    let reachedSigning!: () => void;
    const reached = new Promise<void>((resolve) => (reachedSigning = resolve));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const slow = rotation({
      signAccessToken: async (claims) => {
        reachedSigning();
        await gate;
        return t.container.signer.signAccessToken(claims);
      },
    });

    // The rotation holds the token row; the logout's UPDATE queues behind it and, once it runs,
    // cannot see the child committed meanwhile.
    const rotating = slow.rotate(session.refreshToken, info);
    await reached;
    const loggingOut = revokeSession(t.container.db, session.user.id, session.sessionId, 'logout');
    await waitForLockWait(t.container.db);
    openGate();
    const rotated = await rotating;
    expect(await loggingOut).toBe(true);
    if (!rotated.ok) throw new Error('the rotation should have won the race');

    const rows = await familyRows(session.sessionId);
    expect(rows.map((r) => r.revoked_at === null)).toEqual([false, true]);
    expect(await listSessions(t.container.db, session.user.id)).toEqual([]);
    const outcome = await rotation().rotate(rotated.pair.refreshToken, info);
    expect(outcome).toEqual({ ok: false, reason: 'revoked' });
    expect((await familyRows(session.sessionId)).every((r) => r.revoked_at !== null)).toBe(true);
  });

  it('when a family is near its absolute end, then the idle expiry of the child never passes it', async () => {
    const session = await signIn();
    await t.container.db.query(
      "UPDATE refresh_tokens SET expires_at = now() + interval '1 hour' WHERE family_id = $1",
      [session.sessionId],
    );
    expect((await rotation().rotate(session.refreshToken, info)).ok).toBe(true);
    const [parent, child] = await familyRows(session.sessionId);
    expect(child?.expires_at.getTime()).toBe(parent?.expires_at.getTime());
    expect(child?.idle_expires_at.getTime()).toBe(child?.expires_at.getTime());
  });

  it('when a token is rotated, then live sessions count the family once', async () => {
    const before = await countLiveSessions(t.container.db);
    const session = await signIn();
    const first = await rotation().rotate(session.refreshToken, info);
    if (!first.ok) throw new Error('rotation failed');
    await rotation().rotate(first.pair.refreshToken, info);
    expect(await countLiveSessions(t.container.db)).toBe(before + 1);
  });
});

/** Resolves once some backend waits on a row lock (the racing UPDATE is queued). */
async function waitForLockWait(db: Db): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await db.query(
      "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE refresh_tokens SET revoked_at%'",
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the racing UPDATE never queued behind the row lock');
}

// The fault matrix (docs/testing.md): the real stack on servers of its own, a bounded load loop of
// writes and reads through the gateway, and each server killed (SIGKILL, the whole process
// group) and restarted in turn. Every acknowledged write must survive, every acknowledged
// registration's event must reach the profile service exactly once, and while a server is away
// the answers are 503 problem+json, never a 500 or a dropped connection.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { ownFerretDb, ownPostgres, ownRedis, type OwnServer } from './own-servers.ts';
import { gatewaySourceAddress } from '../stack/components.ts';
import { alive, listenerPid, waitForReady } from './processes.ts';
import { startStack, type RunningStack } from './stack.ts';

const root = new URL('../../../', import.meta.url).pathname;
const password = 'correct horse battery staple 9';
const OUTAGE_MS = 3_000;
const RECOVERY_LIMIT_MS = 30_000;

interface Sample {
  at: number;
  kind: 'register' | 'profile write' | 'read';
  status: number | 'network error';
  problem: boolean;
}

interface FaultReport {
  server: string;
  requests: number;
  /** Answers that were neither a success nor a 503 problem (500s, dropped connections, ...). */
  failed: number;
  /** The failed ones by request and answer, e.g. `register 500`. */
  failures: Record<string, number>;
  unavailable: number;
  /** From the restart to the first success of every kind of request. */
  recoveryMs: number;
  acknowledgedWritesLost: number;
  eventsLost: number;
  eventsDoubled: number;
}

describe('fault matrix: each server killed and restarted under load', () => {
  let postgres: OwnServer;
  let redis: OwnServer;
  let ferret: OwnServer;
  let stack: RunningStack;
  let token = '';
  const reports: FaultReport[] = [];
  const registered = new Set<string>();
  let lastAcknowledgedBio = -1;

  beforeAll(async () => {
    [postgres, redis, ferret] = await Promise.all([ownPostgres(), ownRedis(), ownFerretDb()]);
    stack = await startStack({
      servers: { databaseUrl: postgres.url, mongodbUri: ferret.url, redisUrl: redis.url },
      env: {
        UMS_RESTART_CRASHED: '1',
        // A restarted profile process is a new consumer (<host>-<pid>): the entries its
        // predecessor had read but not acknowledged are claimed once idle this long.
        EVENTS_CLAIM_IDLE_MS: '5000',
        EVENTS_CLAIM_INTERVAL_MS: '1000',
      },
    });
    stack.remember(password);
    const login = await call('POST', '/api/v1/auth/login', {
      email: 'john.doe@example.com',
      password: 'DemoUser123!',
    });
    token = (login.body as { accessToken: string }).accessToken;
  }, 180_000);

  afterAll(async () => {
    if (reports.length) {
      const dir = join(root, '.local/test-results');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'fault-matrix.json'), `${JSON.stringify(reports, null, 2)}\n`);
      console.log(`fault matrix:\n${reports.map((r) => JSON.stringify(r)).join('\n')}`);
    }
    await stack?.stop();
    await Promise.all([postgres, redis, ferret].map((s) => s?.destroy()));
  }, 60_000);

  async function call(method: string, path: string, body?: unknown, bearer?: string) {
    const res = await fetch(`${stack.gateway}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return {
      status: res.status,
      problem: (res.headers.get('content-type') ?? '').startsWith('application/problem+json'),
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
  }

  let clients = 0;
  /**
   * A registration from a client address of its own, as the gateway would forward it (from the
   * address the services trust): the per-address registration limit is not what is tested.
   */
  function registerAsNewClient(email: string): Promise<{ status: number; problem: boolean }> {
    clients += 1;
    const body = JSON.stringify({ email, password });
    return new Promise((resolve, reject) => {
      const req = request(
        `${stack.auth}/api/v1/auth/register`,
        {
          method: 'POST',
          localAddress: gatewaySourceAddress,
          timeout: 10_000,
          headers: {
            'content-type': 'application/json',
            'x-forwarded-for': `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              problem: (res.headers['content-type'] ?? '').startsWith('application/problem+json'),
            }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Runs the load until `done` resolves; every request's outcome is sampled. */
  async function loadWhile(done: Promise<void>): Promise<Sample[]> {
    const samples: Sample[] = [];
    let running = true;
    void done.then(() => (running = false));
    let bio = lastAcknowledgedBio + 1;
    const attempt = async <T extends { status: number; problem: boolean }>(
      kind: Sample['kind'],
      send: () => Promise<T>,
    ) => {
      const at = Date.now();
      try {
        const res = await send();
        samples.push({ at, kind, status: res.status, problem: res.problem });
        return res;
      } catch {
        samples.push({ at, kind, status: 'network error', problem: false });
        return undefined;
      }
    };
    const worker = async (step: () => Promise<void>) => {
      while (running) {
        await step();
        await sleep(50);
      }
    };
    await Promise.all([
      worker(async () => {
        const email = `fault-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
        const res = await attempt('register', () => registerAsNewClient(email));
        if (res?.status === 201) registered.add(email);
      }),
      worker(async () => {
        const value = bio++;
        const res = await attempt('profile write', () =>
          call('PATCH', '/api/v1/users/me', { bio: `bio ${value}` }, token),
        );
        if (res?.status === 200) lastAcknowledgedBio = Math.max(lastAcknowledgedBio, value);
      }),
      worker(async () => {
        await attempt('read', () => call('GET', '/api/v1/auth/me', undefined, token));
      }),
    ]);
    return samples;
  }

  async function writesLost(): Promise<number> {
    const db = new pg.Client({ connectionString: stack.databases.postgres });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: string }>(
        'SELECT count(*) AS n FROM users WHERE email = ANY($1)',
        [[...registered]],
      );
      const users = registered.size - Number(rows[0]?.n);
      const mongo = new MongoClient(stack.databases.mongodb);
      try {
        const me = await mongo
          .db()
          .collection<{ bio: string | null; email: string }>('user_profiles')
          .findOne({ email: 'john.doe@example.com' });
        const bio = Number((me?.bio ?? 'bio -1').slice(4));
        return users + (bio >= lastAcknowledgedBio ? 0 : 1);
      } finally {
        await mongo.close();
      }
    } finally {
      await db.end();
    }
  }

  /** Each acknowledged registration's `user.registered` in the audit log: lost and doubled. */
  async function eventCounts(): Promise<{ lost: number; doubled: number }> {
    const db = new pg.Client({ connectionString: stack.databases.postgres });
    await db.connect();
    const ids = (
      await db
        .query<{ id: string }>('SELECT id FROM users WHERE email = ANY($1)', [[...registered]])
        .finally(() => db.end())
    ).rows.map((r) => r.id);
    const mongo = new MongoClient(stack.databases.mongodb);
    try {
      const perUser = await mongo
        .db()
        .collection('audit_logs')
        .aggregate<{ _id: string; n: number }>([
          { $match: { action: 'user.registered', userId: { $in: ids } } },
          { $group: { _id: '$userId', n: { $sum: 1 } } },
        ])
        .toArray();
      return {
        lost: registered.size - perUser.length,
        doubled: perUser.filter((r) => r.n > 1).length,
      };
    } finally {
      await mongo.close();
    }
  }

  async function settled(): Promise<{ lost: number; doubled: number }> {
    const deadline = Date.now() + RECOVERY_LIMIT_MS;
    for (;;) {
      const counts = await eventCounts();
      if (counts.lost === 0 || Date.now() > deadline) return counts;
      await sleep(250);
    }
  }

  /** The load loop while `target` is killed, kept away for `outageMs` and started again. */
  async function underFault(target: Pick<OwnServer, 'name' | 'kill' | 'start'>, outageMs: number) {
    let restartedAt = 0;
    const fault = (async () => {
      await sleep(1_000);
      await target.kill();
      await sleep(outageMs);
      restartedAt = Date.now();
      await target.start();
      await sleep(RECOVERY_LIMIT_MS / 6);
    })();
    const samples = await loadWhile(fault);
    await fault;
    const ok = (s: Sample) => typeof s.status === 'number' && s.status < 400;
    const recoveredAt = (['register', 'profile write', 'read'] as const).map(
      (kind) =>
        samples.find((s) => s.kind === kind && s.at >= restartedAt && ok(s))?.at ?? Infinity,
    );
    const events = await settled();
    const failures = samples.filter((s) => !ok(s) && !(s.status === 503 && s.problem));
    const report: FaultReport = {
      server: target.name,
      requests: samples.length,
      failed: failures.length,
      failures: Object.fromEntries(
        [...Map.groupBy(failures, (s) => `${s.kind} ${s.status}`)].map(([key, list]) => [
          key,
          list.length,
        ]),
      ),
      unavailable: samples.filter((s) => s.status === 503).length,
      recoveryMs: Math.max(...recoveredAt) - restartedAt,
      acknowledgedWritesLost: await writesLost(),
      eventsLost: events.lost,
      eventsDoubled: events.doubled,
    };
    reports.push(report);
    return report;
  }

  it.each([
    ['PostgreSQL', () => postgres],
    ['Redis', () => redis],
    ['FerretDB', () => ferret],
  ])(
    'when %s is killed and restarted under load, then nothing acknowledged is lost and the outage answers 503',
    async (_name, server) => {
      const report = await underFault(server(), OUTAGE_MS);
      expect(report).toMatchObject({
        failures: {},
        acknowledgedWritesLost: 0,
        eventsLost: 0,
        eventsDoubled: 0,
      });
      expect(report.recoveryMs).toBeLessThan(RECOVERY_LIMIT_MS);
      expect(registered.size).toBeGreaterThan(0);
    },
    120_000,
  );

  // SIGKILL mid-request: what was in flight fails (it was never acknowledged); the stack starts
  // the service again (UMS_RESTART_CRASHED=1, as the kubelet would restart the container).
  it.each([
    ['auth', () => stack.ports.auth],
    ['profile', () => stack.ports.profile],
  ])(
    'when the %s service is SIGKILLed mid-request, then nothing acknowledged is lost and it serves again',
    async (name, port) => {
      const report = await underFault(
        {
          name: `${name} service`,
          kill: async () => {
            const pid = listenerPid(port());
            process.kill(pid, 'SIGKILL');
            while (alive(pid)) await sleep(20);
          },
          // Started again at once by the stack: the outage is the restart itself.
          start: () => waitForReady(port(), RECOVERY_LIMIT_MS),
        },
        0,
      );
      expect(report).toMatchObject({
        acknowledgedWritesLost: 0,
        eventsLost: 0,
        eventsDoubled: 0,
      });
      expect(report.recoveryMs).toBeLessThan(RECOVERY_LIMIT_MS);
    },
    120_000,
  );
});

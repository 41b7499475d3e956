import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { withTransaction, type Db } from '../data/db.ts';
import { appendEvent } from '../data/outbox.ts';
import { createTestAuth, requireEnv, type TestAuth } from '../test/harness.ts';
import { freePort, killHard, redisReady, spawnRedis, waitFor } from '../test/redis-server.ts';
import type { OutboxRelay } from './outbox-relay.ts';

function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value');
  return value;
}

const aggregates = ['user-a', 'user-b', 'user-c'];

/**
 * Appends `count` events, one transaction each, about `aggregate` (or rotating over three);
 * resolves to their event ids in commit order.
 */
async function appendEvents(
  db: Db,
  count: number,
  label = 'e',
  aggregate?: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = await withTransaction(db, (client) =>
      appendEvent(client, {
        type: 'user.updated',
        aggregateId: aggregate ?? must(aggregates[i % aggregates.length]),
        actorId: 'system',
        data: { seq: `${label}${i}` },
      }),
    );
    ids.push(id);
  }
  return ids;
}

/** Event ids in id order, optionally of one aggregate only. */
async function outboxIds(db: Db, aggregate?: string): Promise<string[]> {
  const { rows } = await db.query<{ event_id: string }>(
    'SELECT event_id FROM outbox WHERE ($1::text IS NULL OR aggregate_id = $1) ORDER BY id',
    [aggregate ?? null],
  );
  return rows.map((r) => r.event_id);
}

/** Rows not yet published (only those up to `upToId` when given). */
async function unpublishedCount(db: Db, upToId?: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND ($1::bigint IS NULL OR id <= $1)',
    [upToId ?? null],
  );
  return must(rows[0]).n;
}

async function lastId(db: Db): Promise<string> {
  const { rows } = await db.query<{ id: string }>('SELECT max(id)::text AS id FROM outbox');
  return must(rows[0]).id;
}

type Entry = Record<string, string>;

async function readStream(redis: Redis, stream: string): Promise<Entry[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.map(([, fields]) => {
    const entry: Entry = {};
    for (let i = 0; i < fields.length; i += 2) entry[must(fields[i])] = must(fields[i + 1]);
    return entry;
  });
}

/** First occurrence of each eventId, in stream order: what a de-duplicating consumer sees. */
function dedupe(entries: readonly Entry[]): string[] {
  const seen = new Set<string>();
  return entries.map((e) => must(e.eventId)).filter((id) => !seen.has(id) && seen.add(id));
}

async function isDone(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  return (await Promise.race([promise, Promise.resolve(pending)])) !== pending;
}

async function publishedBy(t: TestAuth): Promise<number> {
  const metric = await t.container.metrics.registry
    .getSingleMetric('ums_auth_events_published_total')
    ?.get();
  return metric?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;
}

function relayOf(t: TestAuth): OutboxRelay {
  const relay = t.container.background.find((task) => task.name === 'outbox-relay');
  if (!relay) throw new Error('the outbox relay is not registered in container.background');
  return relay as OutboxRelay;
}

function relayLogs(t: TestAuth, level: 'warn' | 'debug'): string[] {
  return t.logs
    .records()
    .filter((r) => r.level === level && String(r.msg).startsWith('outbox relay cannot publish'))
    .map((r) => String(r.msg));
}

// ---- tests ----

describe('outbox relay', () => {
  const sharedRedis = new Redis(requireEnv('REDIS_URL'), { lazyConnect: true });
  const streams: string[] = [];
  beforeAll(async () => sharedRedis.connect());
  afterAll(async () => {
    if (streams.length > 0) await sharedRedis.del(...streams);
    sharedRedis.disconnect();
  });

  it('when events are appended, then they appear on the stream in id order with eventId, type, aggregateId, occurredAt and payload', async () => {
    const t = await createTestAuth();
    streams.push(t.config.EVENTS_STREAM);
    try {
      relayOf(t).start();
      const ids = await appendEvents(t.container.db, 25);
      await waitFor(async () => (await unpublishedCount(t.container.db)) === 0);
      const entries = await readStream(sharedRedis, t.config.EVENTS_STREAM);
      expect(entries.map((e) => e.eventId)).toEqual(ids);
      const { rows } = await t.container.db.query<{ created_at: Date }>(
        'SELECT created_at FROM outbox ORDER BY id LIMIT 1',
      );
      expect(entries[0]).toEqual({
        eventId: ids[0],
        type: 'user.updated',
        aggregateId: 'user-a',
        occurredAt: must(rows[0]).created_at.toISOString(),
        payload: JSON.stringify({
          ip: null,
          data: { seq: 'e0' },
          actorId: 'system',
          requestId: null,
        }),
      });
      expect(JSON.parse(must(entries[1]?.payload))).toMatchObject({ data: { seq: 'e1' } });
      // In order per user: each aggregate's events keep their relative order.
      for (const aggregate of aggregates) {
        const seqs = entries
          .filter((e) => e.aggregateId === aggregate)
          .map((e) => JSON.parse(must(e.payload)).data.seq);
        expect(seqs).toEqual(
          ids.map((_, i) => `e${i}`).filter((_, i) => aggregates[i % 3] === aggregate),
        );
      }
    } finally {
      await t.close();
    }
  });

  it('when Redis is unreachable, then rows stay unpublished with one warning, and a relay that can reach Redis later publishes all of them in order', async () => {
    const closedPort = await freePort();
    const offline = await createTestAuth({ REDIS_URL: `redis://127.0.0.1:${closedPort}` });
    streams.push(offline.config.EVENTS_STREAM);
    try {
      relayOf(offline).start();
      const ids = await appendEvents(offline.container.db, 40);
      await waitFor(async () => relayLogs(offline, 'debug').length >= 2, 10_000);
      expect(relayLogs(offline, 'warn')).toHaveLength(1);
      expect(await unpublishedCount(offline.container.db)).toBe(40);

      const online = await createTestAuth({
        DATABASE_URL: offline.config.DATABASE_URL,
        EVENTS_STREAM: offline.config.EVENTS_STREAM,
      });
      try {
        relayOf(online).start();
        await waitFor(async () => (await unpublishedCount(online.container.db)) === 0);
        const entries = await readStream(sharedRedis, offline.config.EVENTS_STREAM);
        expect(entries.map((e) => e.eventId)).toEqual(ids);
      } finally {
        await online.close();
      }
    } finally {
      await offline.close();
    }
  });

  it('when two relays share one database, then each row is published exactly once and in order per aggregate', async () => {
    const a = await createTestAuth();
    const b = await createTestAuth({
      DATABASE_URL: a.config.DATABASE_URL,
      EVENTS_STREAM: a.config.EVENTS_STREAM,
    });
    streams.push(a.config.EVENTS_STREAM);
    try {
      // Both relays run in the background (container.start()), and the test also makes them
      // race for the same rows at the same moment, many times over.
      const relays = [relayOf(a), relayOf(b)];
      // Each writer stands for one user whose changes serialise (as they do on the user row).
      const writers = Promise.all(
        [0, 1, 2, 3].map((w) => appendEvents(a.container.db, 150, `w${w}-`, `writer-${w}`)),
      );
      while ((await unpublishedCount(a.container.db)) > 0 || !(await isDone(writers))) {
        await Promise.all([...relays, ...relays, ...relays].map((r) => r.publishBatch()));
      }
      await appendEvents(a.container.db, 50, 'late-');
      await waitFor(async () => (await unpublishedCount(a.container.db)) === 0);

      const entries = await readStream(sharedRedis, a.config.EVENTS_STREAM);
      expect(entries).toHaveLength(650);
      expect(new Set(entries.map((e) => e.eventId)).size).toBe(650);
      // Every XADD either relay made is on the stream: no duplicates were published.
      expect((await publishedBy(a)) + (await publishedBy(b))).toBe(650);
      // Concurrent writers commit out of id order, so order is promised per aggregate only.
      for (const aggregate of ['writer-0', 'writer-1', 'writer-2', 'writer-3', ...aggregates]) {
        const published = entries.filter((e) => e.aggregateId === aggregate).map((e) => e.eventId);
        expect(published).toEqual(await outboxIds(a.container.db, aggregate));
      }
      expect(new Set(entries.map((e) => e.eventId))).toEqual(
        new Set(await outboxIds(a.container.db)),
      );
    } finally {
      await b.close();
      await a.close();
    }
  });

  describe('with its own redis-server that is killed and restarted', () => {
    let dir: string;
    let port: number;
    let server: ChildProcess | undefined;
    let client: Redis;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ums-relay-redis-'));
      port = await freePort();
      server = spawnRedis(port, dir);
      await redisReady(port);
      client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
      client.on('error', () => undefined);
    });
    afterAll(async () => {
      client.disconnect();
      if (server) await killHard(server);
      await rm(dir, { recursive: true, force: true });
    });

    it('when redis-server is killed with SIGKILL mid-run and restarted, then every event arrives, in order, none missing', async () => {
      const t = await createTestAuth({
        REDIS_URL: `redis://127.0.0.1:${port}`,
        EVENTS_STREAM: 'ums:events',
      });
      try {
        relayOf(t).start();
        await appendEvents(t.container.db, 60, 'before-');
        await waitFor(async () => (await unpublishedCount(t.container.db)) === 0);

        // A writer keeps appending through the crash, the outage and the restart.
        let writing = true;
        const writer = (async () => {
          let n = 0;
          while (writing) n += (await appendEvents(t.container.db, 5, `during-${n}-`)).length;
          return n;
        })();
        await new Promise((r) => setTimeout(r, 300));
        await killHard(must(server));
        await new Promise((r) => setTimeout(r, 1_500));
        const waitingDuringOutage = await unpublishedCount(t.container.db);
        server = spawnRedis(port, dir);
        await redisReady(port);
        const restartedAt = Date.now();
        const backlog = await lastId(t.container.db);
        await waitFor(
          async () => (await unpublishedCount(t.container.db, backlog)) === 0,
          30_000,
          10,
        );
        const caughtUpMs = Date.now() - restartedAt;
        console.log(
          `outbox relay: ${waitingDuringOutage} events waited during the outage; the backlog was published ${caughtUpMs} ms after redis-server answered again`,
        );
        writing = false;
        const writtenDuring = await writer;
        await appendEvents(t.container.db, 20, 'after-');
        await waitFor(async () => (await unpublishedCount(t.container.db)) === 0);

        await client.connect();
        const entries = await readStream(client, 'ums:events');
        const expected = await outboxIds(t.container.db);
        expect(waitingDuringOutage).toBeGreaterThan(0);
        expect(writtenDuring).toBeGreaterThan(0);
        expect(expected.length).toBe(60 + writtenDuring + 20);
        expect(dedupe(entries)).toEqual(expected);
      } finally {
        await t.close();
      }
    });
  });
});

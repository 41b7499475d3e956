import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditDoc } from '../domain/audit.ts';
import type { StreamEvent } from '../domain/events.ts';
import { createTestProfile, eventually, snapshotOf, type TestProfile } from '../test/harness.ts';
import { consumerConnection, createEventConsumer, entriesOf } from './event-consumer.ts';

describe('event stream consumer (Redis consumer group)', () => {
  let t: TestProfile;
  beforeAll(async () => {
    t = await createTestProfile({ EVENTS_CLAIM_IDLE_MS: '200', EVENTS_CLAIM_INTERVAL_MS: '1' });
  });
  afterAll(async () => t?.close());

  const audit = () => t.container.mongo.db.collection<AuditDoc>('audit_logs');
  const pendingCount = async (group = t.config.EVENTS_GROUP) =>
    ((await t.redis.xpending(t.config.EVENTS_STREAM, group)) as [number])[0];
  const consumerWith = (
    handle: (e: StreamEvent) => Promise<unknown>,
    name = `c-${randomUUID()}`,
    group = t.config.EVENTS_GROUP,
  ) =>
    createEventConsumer({
      redis: consumerConnection(t.container.redis, t.logs.logger),
      stream: t.config.EVENTS_STREAM,
      group,
      consumer: name,
      handle,
      logger: t.logs.logger,
      blockMs: 20,
      claimIdleMs: 200,
      claimIntervalMs: 60_000,
    });

  it('when RESP2 or RESP3 replies arrive, then entries are read from both shapes', () => {
    const entries = [['1-0', ['a', '1']]];
    expect(entriesOf([['s', entries]])).toEqual(entries);
    expect(entriesOf(['s', entries])).toEqual(entries);
    expect(entriesOf(null)).toEqual([]);
  });

  it('when an event is handled, then it is still pending during the write and acknowledged after it', async () => {
    const seen: number[] = [];
    const consumer = consumerWith(async (event) => {
      seen.push(await pendingCount());
      return t.container.handleEvent(event);
    });
    try {
      await t.publish({
        type: 'user.registered',
        aggregateId: randomUUID(),
        data: { user: snapshotOf() },
      });
      await t.publish({ type: 'auth.logout', aggregateId: randomUUID() });
      expect(await consumer.poll()).toBe(2);
      expect(seen.every((n) => n >= 1)).toBe(true);
      expect(await pendingCount()).toBe(0);
    } finally {
      await consumer.stop();
    }
  });

  it('when the handler fails mid-batch, then earlier entries are acknowledged and the rest waits until it succeeds', async () => {
    let failNext = true;
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const consumer = consumerWith(async (event) => {
      if (event.eventId === ids[1] && failNext) {
        failNext = false;
        throw new Error('database down');
      }
      return t.container.handleEvent(event);
    });
    try {
      for (const eventId of ids)
        await t.publish({ type: 'auth.logout', eventId, aggregateId: randomUUID() });
      await expect(consumer.poll()).rejects.toThrow('database down');
      expect(await audit().countDocuments({ eventId: { $in: ids } })).toBe(1);
      expect(await pendingCount()).toBe(2);
      expect(await consumer.poll()).toBe(2); // its own pending entries first
      expect(await audit().countDocuments({ eventId: { $in: ids } })).toBe(3);
      expect(await pendingCount()).toBe(0);
    } finally {
      await consumer.stop();
    }
  });

  it('when a consumer dies holding entries (some already written), then another claims them after the idle time and applies each once', async () => {
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const eventId of ids)
      await t.publish({ type: 'auth.login_failed', eventId, aggregateId: randomUUID() });
    const dead = `dead-${randomUUID()}`;
    const reply = await t.redis.call(
      'XREADGROUP',
      'GROUP',
      t.config.EVENTS_GROUP,
      dead,
      'COUNT',
      '5',
      'STREAMS',
      t.config.EVENTS_STREAM,
      '>',
    );
    const taken = entriesOf(reply);
    expect(taken).toHaveLength(5);
    // It wrote two of them and crashed before XACK.
    const { parseStreamEntry } = await import('../domain/events.ts');
    for (const [id, fields] of taken.slice(0, 2))
      await t.container.handleEvent(parseStreamEntry(id, fields ?? []));

    await sleep(250);
    expect(await t.container.consumer.claimStale()).toBe(5);
    await t.drain();
    expect(await audit().countDocuments({ eventId: { $in: ids } })).toBe(5);
    expect(await pendingCount()).toBe(0);
  });

  it('when started, then it applies events as they come, and stop() ends a blocked read at once', async () => {
    const consumer = consumerWith((event) => t.container.handleEvent(event));
    consumer.start();
    const eventId = await t.publish({ type: 'auth.logout', aggregateId: randomUUID() });
    await eventually(async () =>
      (await audit().countDocuments({ eventId })) === 1 ? true : undefined,
    );
    const started = Date.now();
    await consumer.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('when a group is created after events were published, then it still reads them from the start', async () => {
    const applied: string[] = [];
    const consumer = consumerWith(
      async (event) => applied.push(event.eventId),
      'late-1',
      `late-${randomUUID()}`,
    );
    try {
      await consumer.poll();
      expect(applied.length).toBeGreaterThanOrEqual(10);
    } finally {
      await consumer.stop();
    }
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@ums/service-kit/logger';
import { inConsumerSpan, type StoredTraceContext } from '@ums/service-kit/trace-context';
import { MalformedEventError, parseStreamEntry, type StreamEvent } from '../domain/events.ts';

/**
 * Consumes the auth service's Redis Stream in a consumer group (see docs/profile-service.md).
 *
 * Each entry is handled, then the batch is acknowledged (XACK) only after every write is done, so
 * a crash leaves the entries pending and they are delivered again: to this consumer after a
 * restart (it reads its own pending entries first), or to another one, which takes over entries
 * idle for `claimIdleMs` with XAUTOCLAIM. Handling is idempotent by event id, so redelivery
 * never doubles anything. While MongoDB or Redis is down nothing is acknowledged and the loop
 * backs off; events wait in the stream.
 */
export interface EventConsumerOptions {
  /** A connection of the consumer's own: XREADGROUP BLOCK holds it. */
  redis: Redis;
  stream: string;
  group: string;
  consumer: string;
  handle: (event: StreamEvent) => Promise<unknown>;
  logger: Logger;
  registry?: Registry;
  batchSize?: number;
  blockMs?: number;
  claimIdleMs?: number;
  claimIntervalMs?: number;
  retryMaxMs?: number;
}

export interface EventConsumer {
  name: string;
  start(): void;
  stop(): Promise<void>;
  /** One read-and-handle pass; resolves to the number of entries acknowledged. */
  poll(): Promise<number>;
  /** Takes over entries pending on other consumers for longer than `claimIdleMs`. */
  claimStale(): Promise<number>;
}

type Entry = [id: string, fields: string[] | null];

/** The W3C trace context the auth relay put in an entry (see docs/events.md), if any. */
export function entryTraceContext(fields: readonly string[]): StoredTraceContext {
  const found: StoredTraceContext = {};
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'traceparent') found.traceparent = fields[i + 1];
    else if (fields[i] === 'tracestate') found.tracestate = fields[i + 1];
  }
  return found;
}

/**
 * XREADGROUP's reply for one stream: RESP2 gives `[[stream, entries]]`, RESP3 (ioredis 6's
 * default) a map that arrives flattened as `[stream, entries]`.
 */
export function entriesOf(reply: unknown): Entry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const pair: unknown = typeof reply[0] === 'string' ? reply : reply[0];
  return Array.isArray(pair) && Array.isArray(pair[1]) ? (pair[1] as Entry[]) : [];
}

export function createEventConsumer(options: EventConsumerOptions): EventConsumer {
  const { redis, stream, group, consumer, logger } = options;
  const batchSize = options.batchSize ?? 100;
  const blockMs = options.blockMs ?? 2_000;
  const claimIdleMs = options.claimIdleMs ?? 60_000;
  const claimIntervalMs = options.claimIntervalMs ?? 15_000;
  const retryMaxMs = options.retryMaxMs ?? 5_000;
  const processed = options.registry
    ? new Counter({
        name: 'ums_profile_events_total',
        help: 'Stream entries handled by the profile service, by result',
        labelNames: ['result'] as const,
        registers: [options.registry],
      })
    : undefined;

  let running = false;
  let loop: Promise<void> | undefined;
  let groupReady = false;
  // Our own pending entries (after a restart, a failure or a claim) come before new ones.
  let backlog = true;
  let nextClaimAt = 0;

  async function ensureGroup(): Promise<void> {
    if (redis.status === 'wait') await redis.connect();
    if (groupReady) return;
    try {
      // From the start of the stream: events published before the first deploy count too.
      await redis.call('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
    }
    groupReady = true;
  }

  async function read(id: '0' | '>'): Promise<Entry[]> {
    const args = ['GROUP', group, consumer, 'COUNT', String(batchSize)];
    if (id === '>') args.push('BLOCK', String(blockMs));
    return entriesOf(await redis.call('XREADGROUP', ...args, 'STREAMS', stream, id));
  }

  /** Handles entries in order; acknowledges what was handled, even when a later one fails. */
  async function handleBatch(entries: Entry[]): Promise<number> {
    const done: string[] = [];
    try {
      for (const [id, fields] of entries) {
        // Null fields: the entry was trimmed from the stream while pending; nothing to apply.
        if (fields !== null) {
          let event: StreamEvent | undefined;
          try {
            event = parseStreamEntry(id, fields);
          } catch (error) {
            if (!(error instanceof MalformedEventError)) throw error;
            logger.warn({ entryId: id, reason: error.message }, 'malformed event skipped');
            processed?.inc({ result: 'malformed' });
          }
          if (event) {
            const parsed = event;
            // Continues the trace of the request that caused the event (no-op when tracing is off).
            const result = await inConsumerSpan(
              'ums-profile-event-consumer',
              `process ${stream}`,
              entryTraceContext(fields),
              {
                'messaging.system': 'redis',
                'messaging.operation.type': 'process',
                'messaging.destination.name': stream,
                'messaging.consumer.group.name': group,
                'messaging.message.id': parsed.eventId,
                'ums.event.type': parsed.type,
              },
              () => options.handle(parsed),
            );
            processed?.inc({ result: result === 'duplicate' ? 'duplicate' : 'applied' });
          }
        }
        done.push(id);
      }
    } finally {
      if (done.length) await redis.call('XACK', stream, group, ...done);
    }
    return done.length;
  }

  async function poll(): Promise<number> {
    try {
      return await pollOnce();
    } catch (error) {
      // Whatever was left unacknowledged is re-read from our pending list next time.
      backlog = true;
      throw error;
    }
  }

  async function pollOnce(): Promise<number> {
    await ensureGroup();
    if (Date.now() >= nextClaimAt) {
      nextClaimAt = Date.now() + claimIntervalMs;
      if ((await claimStale()) > 0) backlog = true;
    }
    if (backlog) {
      const pending = await read('0');
      if (pending.length === 0) backlog = false;
      else return handleBatch(pending);
    }
    return handleBatch(await read('>'));
  }

  async function claimStale(): Promise<number> {
    await ensureGroup();
    let start = '0-0';
    let claimed = 0;
    // Bounded: a few rounds per call; the next interval continues where this one stopped.
    for (let round = 0; round < 10; round += 1) {
      const reply = (await redis.call(
        'XAUTOCLAIM',
        stream,
        group,
        consumer,
        String(claimIdleMs),
        start,
        'COUNT',
        String(batchSize),
        'JUSTID',
      )) as [string, string[], string[]?];
      claimed += reply[1].length;
      start = reply[0];
      if (start === '0-0') break;
    }
    if (claimed > 0) logger.info({ claimed, stream, group }, 'claimed stale pending events');
    return claimed;
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        await poll();
        if (failures > 0) logger.info({ afterFailures: failures }, 'event consumer recovered');
        failures = 0;
      } catch (error) {
        if (!running) break;
        failures += 1;
        // Once per outage at warn; the retries that follow are debug noise.
        logger[failures === 1 ? 'warn' : 'debug'](
          { err: error, failures },
          'event consumer cannot apply events; they wait in the stream',
        );
        processed?.inc({ result: 'failed' });
        const backoff = Math.min(retryMaxMs, 100 * 2 ** Math.min(failures, 10));
        await sleep(backoff / 2 + Math.random() * (backoff / 2));
      }
    }
  }

  return {
    name: 'event-consumer',
    poll,
    claimStale,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      // Ends a blocked XREADGROUP at once; unacknowledged entries stay pending for later.
      redis.disconnect();
      await loop;
    },
  };
}

/** The consumer's own connection: blocking reads must not share the request path's client. */
export function consumerConnection(redis: Redis, logger: Logger): Redis {
  const connection = redis.duplicate({
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: undefined,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  });
  connection.on('error', (error: Error) =>
    logger.debug({ err: error }, 'event consumer Redis connection error'),
  );
  return connection;
}

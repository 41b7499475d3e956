import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@ums/service-kit/logger';
import {
  startProducerSpan,
  type ProducerSpan,
  type TraceCarrier,
} from '@ums/service-kit/trace-context';
import { revocationEntryArgs } from '@ums/service-kit/session-revocations';
import { withTransaction, type Db } from '../data/db.ts';
import { lockUnpublishedBatch, markPublished, type OutboxRecord } from '../data/outbox.ts';
import { SESSIONS_ENDED } from './session-revocation.ts';

/**
 * Publishes the transactional outbox to a Redis Stream (see docs/events.md).
 *
 * One tick: BEGIN; take the relay lock; lock the oldest unpublished rows (FOR UPDATE SKIP
 * LOCKED); XADD them all in one MULTI/EXEC; mark them published; COMMIT. Rows are marked only
 * after Redis acknowledged them, so a failure anywhere leaves them for the next tick: delivery is
 * at least once and consumers de-duplicate by `eventId`.
 */
export interface OutboxRelayOptions {
  db: Db;
  /** A connection of the relay's own (see `relayConnection`). */
  redis: Redis;
  stream: string;
  /**
   * Where `sessions.ended` rows go instead of `stream` (see @ums/service-kit/session-revocations),
   * and how long an ended session's access tokens may still be unexpired, in seconds.
   */
  revocations: { stream: string; accessTokenTtl: number };
  logger: Logger;
  registry?: Registry;
  batchSize?: number;
  /** Pause between polls when the outbox is empty. */
  pollIntervalMs?: number;
  /** Approximate cap on the stream length (XADD MAXLEN ~). */
  maxLen?: number;
  /** Backoff after a failure: doubles from `pollIntervalMs` up to this (jittered). */
  maxBackoffMs?: number;
}

export interface OutboxRelay {
  name: string;
  start(): void;
  stop(): Promise<void>;
  /** Publishes one batch now; resolves to the number of rows published (0 when idle or locked out). */
  publishBatch(): Promise<number>;
}

/** The session ids a `sessions.ended` row names (see session-revocation.ts). */
function endedSessionIds(row: OutboxRecord): string[] {
  const data = (row.payload as { data?: { sessionIds?: unknown } } | null)?.data;
  return Array.isArray(data?.sessionIds) ? data.sessionIds.map(String) : [];
}

/**
 * The stream entry: flat string fields, the payload as one JSON string, and the W3C trace context
 * of the publication (when traced) for the consumer to continue.
 */
export function streamFields(
  row: Omit<OutboxRecord, 'traceparent' | 'tracestate'>,
  traceContext: TraceCarrier = {},
): string[] {
  const traceFields = [
    ...(traceContext.traceparent ? ['traceparent', traceContext.traceparent] : []),
    ...(traceContext.tracestate ? ['tracestate', traceContext.tracestate] : []),
  ];
  return [
    'eventId',
    row.eventId,
    'type',
    row.type,
    'aggregateId',
    row.aggregateId ?? '',
    'occurredAt',
    row.createdAt.toISOString(),
    'payload',
    JSON.stringify(row.payload),
    ...traceFields,
  ];
}

/**
 * A producer span per event, child of the request that wrote the row (its stored traceparent), so
 * one trace runs from the request through the relay to the consumer. No-op when tracing is off.
 */
function startPublishSpan(stream: string, row: OutboxRecord): ProducerSpan {
  return startProducerSpan('ums-auth-outbox-relay', `publish ${stream}`, row, {
    'messaging.system': 'redis',
    'messaging.operation.type': 'send',
    'messaging.destination.name': stream,
    'messaging.message.id': row.eventId,
    'ums.event.type': row.type,
  });
}

export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, redis, stream, logger } = options;
  const batchSize = options.batchSize ?? 200;
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const maxLen = options.maxLen ?? 1_000_000;
  const maxBackoffMs = options.maxBackoffMs ?? 2_000;
  // Tokens signed up to COMMIT of the revocation (which precedes this publication) expire within
  // one lifetime; the minute covers verifiers' clock tolerance and skew.
  const revocationTtlMs = (options.revocations.accessTokenTtl + 60) * 1000;
  const published = options.registry
    ? new Counter({
        name: 'ums_auth_events_published_total',
        help: 'Outbox events published to the Redis stream (duplicates after a retry included)',
        registers: [options.registry],
      })
    : undefined;

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let failures = 0;

  let connecting: Promise<void> | undefined;
  async function connectOnce(): Promise<void> {
    if (redis.status === 'wait')
      connecting ??= redis.connect().finally(() => (connecting = undefined));
    await connecting;
  }

  async function publishBatch(): Promise<number> {
    await connectOnce();
    const count = await withTransaction(db, async (client) => {
      const rows = await lockUnpublishedBatch(client, batchSize);
      if (!rows || rows.length === 0) return 0;
      // MULTI/EXEC: the batch lands whole or not at all, so a retry never interleaves with a
      // half-published earlier attempt.
      const tx = redis.multi();
      const nowMs = Date.now();
      const spans: ProducerSpan[] = [];
      for (const row of rows) {
        if (row.type === SESSIONS_ENDED) {
          for (const sid of endedSessionIds(row))
            tx.xadd(
              options.revocations.stream,
              ...revocationEntryArgs(sid, nowMs + revocationTtlMs, nowMs, 2 * revocationTtlMs),
            );
        } else {
          const span = startPublishSpan(stream, row);
          spans.push(span);
          tx.xadd(stream, 'MAXLEN', '~', maxLen, '*', ...streamFields(row, span.carrier));
        }
      }
      try {
        const results = await tx.exec();
        const failed = results?.find(([error]) => error);
        if (!results || failed) throw failed?.[0] ?? new Error('Redis transaction aborted');
        for (const span of spans) span.end();
      } catch (error) {
        for (const span of spans) span.end(error);
        throw error;
      }
      await markPublished(
        client,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
    if (count > 0) published?.inc(count);
    return count;
  }

  function schedule(delayMs: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      inFlight = tick().finally(() => (inFlight = undefined));
    }, delayMs);
    timer.unref();
  }

  async function tick(): Promise<void> {
    try {
      const count = await publishBatch();
      if (failures > 0) logger.info({ stream, afterFailures: failures }, 'outbox relay recovered');
      failures = 0;
      // A full batch means more may be waiting: go again at once.
      schedule(count === batchSize ? 0 : pollIntervalMs);
    } catch (error) {
      failures += 1;
      // Warn once per outage; the retries that follow are debug noise.
      const level = failures === 1 ? 'warn' : 'debug';
      logger[level](
        { err: error, stream, failures },
        'outbox relay cannot publish; events wait in the outbox',
      );
      const backoff = Math.min(maxBackoffMs, pollIntervalMs * 2 ** Math.min(failures, 10));
      schedule(backoff / 2 + Math.random() * (backoff / 2));
    }
  }

  // Redis is back: catch up now instead of waiting out the backoff.
  redis.on('ready', () => {
    if (running && failures > 0 && !inFlight) {
      clearTimeout(timer);
      schedule(0);
    }
  });

  return {
    name: 'outbox-relay',
    publishBatch,
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await inFlight;
      redis.disconnect();
    },
  };
}

/**
 * The relay's own Redis connection: no offline queue, no retry and no automatic resend of
 * unanswered commands after a reconnect, so an XADD batch the relay gave up on (and will
 * publish again) is never replayed behind its back out of order.
 */
export function relayConnection(redis: Redis, logger: Logger): Redis {
  const connection = redis.duplicate({
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
  });
  connection.on('error', (error: Error) =>
    logger.debug({ err: error }, 'outbox relay Redis connection error'),
  );
  return connection;
}

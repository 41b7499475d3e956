import type { Redis } from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '@ums/service-kit/logger';
import type { Queryable } from '../data/db.ts';
import { outboxBacklog } from '../data/outbox.ts';

/**
 * Gauges of the events pipeline and the signing keys, read when Prometheus scrapes (see
 * docs/observability.md): the outbox backlog from PostgreSQL, the stream and its consumer groups
 * from Redis (XINFO), the active key's age. Exported by auth, the stream's producer, so the lag
 * is still reported while the consumer is down. A source that cannot be read leaves its series
 * out of that scrape and counts `ums_auth_metrics_collect_errors_total{source}`; a scrape never fails.
 */
export interface PipelineMetricsDeps {
  registry: Registry;
  db: Queryable;
  /** The request path's client: fails fast (no offline queue, short command timeout). */
  redis: Redis;
  stream: string;
  /** Seconds since the active signing key was created; undefined when there is none. */
  activeKeyAgeSeconds: () => Promise<number | undefined>;
  rotationIntervalSeconds: number;
  logger: Logger;
}

/** A RESP2 flat `[key, value, ...]` array or a RESP3 map, as an object. */
export function replyFields(reply: unknown): Record<string, unknown> {
  if (reply instanceof Map) return Object.fromEntries(reply) as Record<string, unknown>;
  if (Array.isArray(reply)) {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = reply[i + 1];
    return fields;
  }
  return typeof reply === 'object' && reply !== null ? (reply as Record<string, unknown>) : {};
}

export interface GroupInfo {
  name: string;
  /** Entries not yet delivered to the group; null when Redis cannot tell (see XINFO GROUPS). */
  lag: number | null;
  /** Delivered, not acknowledged. */
  pending: number;
}

/** The stream's length and its groups; length 0 and no groups while the stream does not exist. */
export async function streamInfo(
  redis: Redis,
  stream: string,
): Promise<{ length: number; groups: GroupInfo[] }> {
  let info: Record<string, unknown>;
  try {
    info = replyFields(await redis.call('XINFO', 'STREAM', stream));
  } catch (error) {
    if (/no such key/i.test(String((error as Error).message))) return { length: 0, groups: [] };
    throw error;
  }
  const groups = (await redis.call('XINFO', 'GROUPS', stream)) as unknown[];
  return {
    length: Number(info.length ?? 0),
    groups: groups.map((g) => {
      const fields = replyFields(g);
      const lag = fields.lag;
      return {
        name: String(fields.name),
        lag: lag === null || lag === undefined ? null : Number(lag),
        pending: Number(fields.pending ?? 0),
      };
    }),
  };
}

/**
 * One read shared by the gauges of one scrape: the registry collects them concurrently, so a read
 * still in flight is joined; once it settles the next scrape reads afresh (never a stale value).
 */
function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    inFlight ??= read().finally(() => (inFlight = undefined));
    return inFlight;
  };
}

export function registerPipelineMetrics(deps: PipelineMetricsDeps): void {
  const { registry, stream, logger } = deps;
  const registers = [registry];
  const collectErrors = new Counter({
    name: 'ums_auth_metrics_collect_errors_total',
    help: 'Scrape-time reads that failed (their series are left out of that scrape), by source',
    labelNames: ['source'] as const,
    registers,
  });
  async function guarded<T>(source: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      collectErrors.inc({ source });
      logger.debug({ err: error, source }, 'metric source unavailable at scrape');
      return undefined;
    }
  }

  const backlog = sharedRead(() => outboxBacklog(deps.db));
  new Gauge({
    name: 'ums_auth_outbox_backlog',
    help: 'Outbox rows not yet published to the event stream',
    registers,
    async collect() {
      this.reset();
      const read = await guarded('outbox', backlog);
      if (read) this.set(read.rows);
    },
  });
  new Gauge({
    name: 'ums_auth_outbox_oldest_age_seconds',
    help: 'Age of the oldest unpublished outbox row in seconds (0 when none)',
    registers,
    async collect() {
      this.reset();
      const read = await guarded('outbox', backlog);
      if (read) this.set(read.oldestAgeSeconds);
    },
  });

  const info = sharedRead(() => streamInfo(deps.redis, stream));
  new Gauge({
    name: 'ums_events_stream_length',
    help: 'Entries in the event stream',
    labelNames: ['stream'] as const,
    registers,
    async collect() {
      this.reset();
      const read = await guarded('stream', info);
      if (read) this.set({ stream }, read.length);
    },
  });
  new Gauge({
    name: 'ums_events_consumer_lag',
    help: 'Stream entries not yet delivered to the consumer group (XINFO GROUPS lag)',
    labelNames: ['stream', 'group'] as const,
    registers,
    async collect() {
      this.reset();
      const read = await guarded('stream', info);
      for (const group of read?.groups ?? [])
        if (group.lag !== null) this.set({ stream, group: group.name }, group.lag);
    },
  });
  new Gauge({
    name: 'ums_events_consumer_pending',
    help: 'Stream entries delivered to the consumer group and not yet acknowledged',
    labelNames: ['stream', 'group'] as const,
    registers,
    async collect() {
      this.reset();
      const read = await guarded('stream', info);
      for (const group of read?.groups ?? [])
        this.set({ stream, group: group.name }, group.pending);
    },
  });

  new Gauge({
    name: 'ums_auth_signing_key_age_seconds',
    help: 'Age of the active signing key in seconds',
    registers,
    async collect() {
      this.reset();
      const age = await guarded('signing_keys', deps.activeKeyAgeSeconds);
      if (age !== undefined) this.set(age);
    },
  });
  new Gauge({
    name: 'ums_auth_signing_key_rotation_period_seconds',
    help: 'Configured signing key rotation period in seconds (KEY_ROTATION_INTERVAL)',
    registers,
  }).set(deps.rotationIntervalSeconds);
}

import { Counter, Gauge, type Registry } from 'prom-client';

/** One connection pool's state at scrape time. */
export interface PoolState {
  active: number;
  idle: number;
  waiting: number;
  max: number;
}

export type PoolDb = 'postgres' | 'mongodb';

interface PoolGauges {
  sources: Map<PoolDb, () => PoolState>;
}

interface RedisGauges {
  clients: Map<string, { status: string }>;
}

// One set of gauges per registry, whichever helper registers first; later calls add sources.
const poolGauges = new WeakMap<Registry, PoolGauges>();
const redisGauges = new WeakMap<Registry, RedisGauges>();
const throttleCounters = new WeakMap<Registry, Counter<'limiter'>>();

function poolGaugesOf(registry: Registry): PoolGauges {
  const existing = poolGauges.get(registry);
  if (existing) return existing;
  const gauges: PoolGauges = { sources: new Map() };
  new Gauge({
    name: 'ums_db_pool_connections',
    help: 'Database pool connections by state: active (in use), idle, waiting (callers queued for one)',
    labelNames: ['db', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [db, read] of gauges.sources) {
        const state = read();
        this.set({ db, state: 'active' }, state.active);
        this.set({ db, state: 'idle' }, state.idle);
        this.set({ db, state: 'waiting' }, state.waiting);
      }
    },
  });
  new Gauge({
    name: 'ums_db_pool_max_connections',
    help: 'Largest number of connections the pool opens',
    labelNames: ['db'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [db, read] of gauges.sources) this.set({ db }, read().max);
    },
  });
  poolGauges.set(registry, gauges);
  return gauges;
}

/** What `ums_db_pool_*` reads of a node-postgres Pool (structural, so the kit needs no pg). */
export interface PgPoolLike {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options: { max?: number };
}

/** `ums_db_pool_connections{db="postgres"}` and the pool's max, read from the pool at scrape. */
export function registerPgPoolMetrics(registry: Registry, pool: PgPoolLike): void {
  poolGaugesOf(registry).sources.set('postgres', () => ({
    active: pool.totalCount - pool.idleCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    // node-postgres's default.
    max: pool.options.max ?? 10,
  }));
}

/** The CMAP (connection monitoring and pooling) events of a MongoClient the counts come from. */
export interface MongoClientLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  readonly options: { maxPoolSize: number };
}

/**
 * `ums_db_pool_connections{db="mongodb"}` from the driver's CMAP events: the driver exposes no
 * pool counts, so they are kept from connection created/closed, check-out started/failed and
 * checked out/in (summed over the servers of the topology).
 */
export function registerMongoPoolMetrics(registry: Registry, client: MongoClientLike): void {
  let open = 0;
  let inUse = 0;
  let waiting = 0;
  const clamp = (n: number) => Math.max(0, n);
  client.on('connectionCreated', () => (open += 1));
  client.on('connectionClosed', () => (open = clamp(open - 1)));
  client.on('connectionCheckOutStarted', () => (waiting += 1));
  client.on('connectionCheckOutFailed', () => (waiting = clamp(waiting - 1)));
  client.on('connectionCheckedOut', () => {
    waiting = clamp(waiting - 1);
    inUse += 1;
  });
  client.on('connectionCheckedIn', () => (inUse = clamp(inUse - 1)));
  poolGaugesOf(registry).sources.set('mongodb', () => ({
    active: Math.min(inUse, open),
    idle: clamp(open - inUse),
    waiting,
    max: client.options.maxPoolSize,
  }));
}

/**
 * `ums_redis_connected{client}`: 1 while the ioredis client is ready for commands. `client`
 * names the connection's role (`main` for the request path, `stream` for the events pipeline).
 */
export function registerRedisConnected(
  registry: Registry,
  client: string,
  redis: { readonly status: string },
): void {
  let gauges = redisGauges.get(registry);
  if (!gauges) {
    const created: RedisGauges = { clients: new Map() };
    new Gauge({
      name: 'ums_redis_connected',
      help: '1 while the Redis client is connected and ready, 0 otherwise',
      labelNames: ['client'] as const,
      registers: [registry],
      collect() {
        for (const [name, r] of created.clients)
          this.set({ client: name }, r.status === 'ready' ? 1 : 0);
      },
    });
    redisGauges.set(registry, created);
    gauges = created;
  }
  gauges.clients.set(client, redis);
}

/**
 * `ums_http_throttled_requests_total{limiter}`: requests a rate limiter refused with 429. One
 * counter per registry; `limiter` is the limiter's fixed name, never a key.
 */
export function throttledRequestsCounter(registry: Registry): Counter<'limiter'> {
  let counter = throttleCounters.get(registry);
  if (!counter) {
    counter = new Counter({
      name: 'ums_http_throttled_requests_total',
      help: 'Requests refused with 429 by a rate limiter, by limiter',
      labelNames: ['limiter'] as const,
      registers: [registry],
    });
    throttleCounters.set(registry, counter);
  }
  return counter;
}

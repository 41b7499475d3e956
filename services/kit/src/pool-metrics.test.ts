import { EventEmitter } from 'node:events';
import { Registry } from 'prom-client';
import {
  registerMongoPoolMetrics,
  registerPgPoolMetrics,
  registerRedisConnected,
  throttledRequestsCounter,
} from './pool-metrics.ts';

/** `name{labels} value` lines of one metric, as Prometheus scrapes them. */
async function series(registry: Registry, name: string): Promise<Record<string, number>> {
  const text = await registry.metrics();
  const found: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match) found[match[1] ?? ''] = Number(match[2]);
  }
  return found;
}

describe('pool and connection gauges', () => {
  it('when a pg pool has clients in use, idle and queued, then each state is exported with the max', async () => {
    const registry = new Registry();
    const pool = { totalCount: 5, idleCount: 2, waitingCount: 4, options: { max: 5 } };
    registerPgPoolMetrics(registry, pool);
    expect(await series(registry, 'ums_db_pool_connections')).toEqual({
      '{db="postgres",state="active"}': 3,
      '{db="postgres",state="idle"}': 2,
      '{db="postgres",state="waiting"}': 4,
    });
    expect(await series(registry, 'ums_db_pool_max_connections')).toEqual({ '{db="postgres"}': 5 });
    pool.idleCount = 5;
    pool.waitingCount = 0;
    expect(
      (await series(registry, 'ums_db_pool_connections'))['{db="postgres",state="active"}'],
    ).toBe(0);
  });

  it('when CMAP events arrive from a MongoClient, then the counts follow them', async () => {
    const registry = new Registry();
    const client = Object.assign(new EventEmitter(), { options: { maxPoolSize: 20 } });
    registerMongoPoolMetrics(registry, client);
    for (const event of [
      'connectionCheckOutStarted',
      'connectionCheckOutStarted',
      'connectionCheckOutStarted',
    ])
      client.emit(event);
    client.emit('connectionCreated');
    client.emit('connectionCreated');
    client.emit('connectionCheckedOut');
    client.emit('connectionCheckedOut');
    expect(await series(registry, 'ums_db_pool_connections')).toEqual({
      '{db="mongodb",state="active"}': 2,
      '{db="mongodb",state="idle"}': 0,
      '{db="mongodb",state="waiting"}': 1,
    });
    client.emit('connectionCheckOutFailed');
    client.emit('connectionCheckedIn');
    expect(await series(registry, 'ums_db_pool_connections')).toEqual({
      '{db="mongodb",state="active"}': 1,
      '{db="mongodb",state="idle"}': 1,
      '{db="mongodb",state="waiting"}': 0,
    });
    expect(await series(registry, 'ums_db_pool_max_connections')).toEqual({ '{db="mongodb"}': 20 });
  });

  it('when a Redis client is ready or not, then ums_redis_connected is 1 or 0 per client', async () => {
    const registry = new Registry();
    const main = { status: 'ready' };
    registerRedisConnected(registry, 'main', main);
    registerRedisConnected(registry, 'stream', { status: 'reconnecting' });
    expect(await series(registry, 'ums_redis_connected')).toEqual({
      '{client="main"}': 1,
      '{client="stream"}': 0,
    });
    main.status = 'end';
    expect((await series(registry, 'ums_redis_connected'))['{client="main"}']).toBe(0);
  });

  it('when two limiters refuse requests, then one counter counts them by limiter', async () => {
    const registry = new Registry();
    throttledRequestsCounter(registry).inc({ limiter: 'login_ip' });
    throttledRequestsCounter(registry).inc({ limiter: 'login_ip' });
    throttledRequestsCounter(registry).inc({ limiter: 'export' });
    expect(await series(registry, 'ums_http_throttled_requests_total')).toEqual({
      '{limiter="login_ip"}': 2,
      '{limiter="export"}': 1,
    });
  });
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startInMemoryTracing, type InMemoryTracing } from '@ums/service-kit/test/test-tracing';
import { createTestProfile, snapshotOf, streamFields, type TestProfile } from '../test/harness.ts';

/** Every series of one metric from a real scrape of the app's /metrics, keyed by its labels. */
async function scrape(t: TestProfile, name: string): Promise<Record<string, number>> {
  const res = await request(t.app).get('/metrics').expect(200);
  const found: Record<string, number> = {};
  for (const line of res.text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labels = line
      .slice(name.length, line.lastIndexOf(' '))
      .replace(/service_name="[^"]*",?/, '')
      .replace(/,}$/, '}');
    found[labels] = Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return found;
}

const one = async (t: TestProfile, name: string, labels = '{}') => (await scrape(t, name))[labels];

describe('profile metrics and tracing on the real servers (FerretDB, Redis)', () => {
  let tracing: InMemoryTracing;
  let t: TestProfile;
  beforeAll(async () => {
    tracing = startInMemoryTracing('profile');
    t = await createTestProfile({ EXPORT_RATE_LIMIT: '2' });
  });
  afterAll(async () => {
    await t?.close();
    await tracing.shutdown();
  });

  it('when MongoDB connections are checked out, then the mongodb pool gauges count them, and idle ones after', async () => {
    const pool = t.container.metrics.registry.getSingleMetric('ums_db_pool_connections');
    const seen: Promise<{ value: number; labels: Record<string, unknown> }[]>[] = [];
    // Read at the moment of a check-out, the way a scrape then would.
    const onCheckout = () => seen.push((async () => (await pool?.get())?.values ?? [])());
    t.container.mongo.client.on('connectionCheckedOut', onCheckout);
    try {
      await t.container.mongo.db.command({ ping: 1 });
    } finally {
      t.container.mongo.client.off('connectionCheckedOut', onCheckout);
    }
    const atCheckout = await Promise.all(seen);
    const active = atCheckout.map(
      (values) =>
        values.find((v) => v.labels.db === 'mongodb' && v.labels.state === 'active')?.value,
    );
    expect(Math.max(...active.map((v) => v ?? 0))).toBeGreaterThanOrEqual(1);
    expect(await one(t, 'ums_db_pool_connections', '{db="mongodb",state="active"}')).toBe(0);
    expect(
      await one(t, 'ums_db_pool_connections', '{db="mongodb",state="idle"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(await one(t, 'ums_db_pool_connections', '{db="mongodb",state="waiting"}')).toBe(0);
    expect(await one(t, 'ums_db_pool_max_connections', '{db="mongodb"}')).toBe(
      t.config.MONGODB_POOL_MAX,
    );
  });

  it('when the Redis clients connect, then ums_redis_connected follows each', async () => {
    expect(await one(t, 'ums_redis_connected', '{client="main"}')).toBe(1);
    // The consumer's own connection opens on its first poll (the harness does not start it).
    expect(await one(t, 'ums_redis_connected', '{client="stream"}')).toBe(0);
    await t.drain();
    expect(await one(t, 'ums_redis_connected', '{client="stream"}')).toBe(1);
  });

  it('when the export budget is spent, then the 429s are counted under limiter="export"', async () => {
    const admin = await t.registerUser({ role: 'admin' }, ['users:read', 'users:export']);
    const before = (await one(t, 'ums_http_throttled_requests_total', '{limiter="export"}')) ?? 0;
    const exportCsv = () => request(t.app).get('/api/v1/users/export?format=csv').set(admin.auth);
    expect((await exportCsv()).status).toBe(200);
    expect((await exportCsv()).status).toBe(200);
    expect((await exportCsv()).status).toBe(429);
    expect(await one(t, 'ums_http_throttled_requests_total', '{limiter="export"}')).toBe(
      before + 1,
    );
  });

  it('when an entry carries a traceparent, then the consumer span continues that trace', async () => {
    const traceId = randomUUID().replace(/-/g, '');
    const parentSpanId = 'b7ad6b7169203331';
    const fields = streamFields({
      type: 'user.registered',
      aggregateId: randomUUID(),
      data: { user: snapshotOf() },
    });
    await t.redis.xadd(
      t.config.EVENTS_STREAM,
      '*',
      ...fields,
      'traceparent',
      `00-${traceId}-${parentSpanId}-01`,
    );
    await t.drain();
    const span = (await tracing.spans()).find(
      (s) =>
        s.name === `process ${t.config.EVENTS_STREAM}` &&
        s.attributes['messaging.message.id'] === fields[1],
    );
    expect(span?.spanContext().traceId).toBe(traceId);
    expect(span?.parentSpanContext?.spanId).toBe(parentSpanId);
    expect(span?.kind).toBe(4); // CONSUMER
    expect(span?.attributes['ums.event.type']).toBe('user.registered');
  });

  it('when an entry carries no trace context, then it is handled in a new trace', async () => {
    const eventId = await t.publish({ type: 'auth.logout', aggregateId: randomUUID() });
    await t.drain();
    const span = (await tracing.spans()).find(
      (s) => s.attributes['messaging.message.id'] === eventId,
    );
    expect(span).toBeDefined();
    expect(span?.parentSpanContext).toBeUndefined();
  });
});

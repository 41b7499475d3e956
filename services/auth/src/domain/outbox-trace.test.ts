import { trace } from '@opentelemetry/api';
import { startInMemoryTracing, type InMemoryTracing } from '@ums/service-kit/test/test-tracing';
import { onlyRow } from '../data/rows.ts';
import { closeTestAuth, strongPassword, uniqueEmail } from '../test/auth-test-support.ts';
import { createTestAuth, type TestAuth } from '../test/harness.ts';
import { createOutboxRelay, relayConnection } from './outbox-relay.ts';
import { register } from './registration.ts';

/** `00-<trace id>-<span id>-<flags>` split into its ids. */
function ids(traceparent: string | null | undefined) {
  const [, traceId, spanId] = (traceparent ?? '').split('-');
  return { traceId, spanId };
}

// The trace path of docs/observability.md on the real servers: the request's span context is
// stored with the outbox row, the relay publishes inside a child span of it and hands its own
// context to the consumer in the stream entry.
describe('trace context through the outbox (PostgreSQL, Redis)', () => {
  let tracing: InMemoryTracing;
  let t: TestAuth;
  beforeAll(async () => {
    tracing = startInMemoryTracing('auth');
    t = await createTestAuth();
    await t.container.background.find((task) => task.name === 'outbox-relay')?.stop();
  });
  afterAll(async () => {
    await closeTestAuth(t);
    await tracing.shutdown();
  });

  it('when a registration runs inside a request span, then its outbox row, the publish span and the stream entry share the trace', async () => {
    const email = uniqueEmail('traced');
    let traceId: string | undefined;
    let spanId: string | undefined;
    const user = await trace
      .getTracer('test')
      .startActiveSpan('POST /api/v1/auth/register', async (span) => {
        ({ traceId, spanId } = span.spanContext());
        try {
          return await register(
            t.container.account,
            { email, password: strongPassword() },
            { requestId: 'req-traced', ip: '203.0.113.9', userAgent: 'test' },
          );
        } finally {
          span.end();
        }
      });

    const row = onlyRow(
      (
        await t.container.db.query<{ event_id: string; traceparent: string | null }>(
          "SELECT event_id, traceparent FROM outbox WHERE aggregate_id = $1 AND type = 'user.registered'",
          [user.id],
        )
      ).rows,
    );
    expect(ids(row.traceparent)).toEqual({ traceId, spanId });

    const relay = createOutboxRelay({
      db: t.container.db,
      redis: relayConnection(t.container.redis, t.logs.logger),
      stream: t.config.EVENTS_STREAM,
      revocations: { stream: t.container.revocationStream, accessTokenTtl: 900 },
      logger: t.logs.logger,
    });
    try {
      while ((await relay.publishBatch()) > 0);
    } finally {
      await relay.stop();
    }

    const publish = (await tracing.spans()).find(
      (s) =>
        s.name === `publish ${t.config.EVENTS_STREAM}` &&
        s.attributes['messaging.message.id'] === row.event_id,
    );
    expect(publish?.spanContext().traceId).toBe(traceId);
    expect(publish?.parentSpanContext?.spanId).toBe(spanId);
    expect(publish?.kind).toBe(3); // PRODUCER

    const entries = await t.container.redis.xrange(t.config.EVENTS_STREAM, '-', '+');
    const entry = entries.find(([, fields]) => fields.includes(row.event_id));
    const fields = entry?.[1] ?? [];
    const carried = fields[fields.indexOf('traceparent') + 1];
    expect(ids(carried)).toEqual({ traceId, spanId: publish?.spanContext().spanId });
  });

  it('when a row was written without a trace, then the publish span starts a trace and the entry carries that one', async () => {
    await t.container.db.query(
      "INSERT INTO outbox (type, aggregate_id, payload) VALUES ('auth.logout', 'untraced', '{}')",
    );
    const relay = createOutboxRelay({
      db: t.container.db,
      redis: relayConnection(t.container.redis, t.logs.logger),
      stream: t.config.EVENTS_STREAM,
      revocations: { stream: t.container.revocationStream, accessTokenTtl: 900 },
      logger: t.logs.logger,
    });
    try {
      expect(await relay.publishBatch()).toBe(1);
    } finally {
      await relay.stop();
    }
    const entries = await t.container.redis.xrange(t.config.EVENTS_STREAM, '-', '+');
    const fields = entries.find(([, f]) => f.includes('untraced'))?.[1] ?? [];
    // The relay's own span is the root: the consumer still joins the publication.
    expect(ids(fields[fields.indexOf('traceparent') + 1]).traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

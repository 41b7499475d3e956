import { trace } from '@opentelemetry/api';
import {
  activeTraceContext,
  contextFromCarrier,
  inConsumerSpan,
  traceContextOf,
} from './trace-context.ts';
import { startInMemoryTracing, type InMemoryTracing } from './test/test-tracing.ts';

describe('trace context carried in data', () => {
  it('when tracing is off, then nothing is carried and work still runs', async () => {
    expect(activeTraceContext()).toEqual({});
    await expect(inConsumerSpan('t', 'process', undefined, {}, async () => 7)).resolves.toBe(7);
  });

  describe('with an SDK', () => {
    let tracing: InMemoryTracing;
    beforeAll(() => {
      tracing = startInMemoryTracing('kit-trace-context');
    });
    afterAll(async () => tracing.shutdown());

    it('when a span is active, then its traceparent is carried and a consumer span continues it', async () => {
      const tracer = trace.getTracer('test');
      const carrier = tracer.startActiveSpan('request', (span) => {
        const active = activeTraceContext();
        span.end();
        return active;
      });
      expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      await inConsumerSpan(
        'test',
        'process events',
        carrier,
        { 'messaging.system': 'redis' },
        async () => {
          const inner = trace.getActiveSpan();
          expect(inner?.spanContext().traceId).toBe(carrier.traceparent?.split('-')[1]);
        },
      );
      const consumer = (await tracing.spans()).find((s) => s.name === 'process events');
      expect(consumer?.spanContext().traceId).toBe(carrier.traceparent?.split('-')[1]);
      expect(consumer?.parentSpanContext?.spanId).toBe(carrier.traceparent?.split('-')[2]);
    });

    it('when a span is started under a stored context, then traceContextOf names that span', () => {
      const parent = contextFromCarrier({
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
      const span = trace.getTracer('test').startSpan('publish', {}, parent);
      const carried = traceContextOf(span, parent);
      span.end();
      expect(carried.traceparent).toBe(
        `00-0af7651916cd43dd8448eb211c80319c-${span.spanContext().spanId}-01`,
      );
    });

    it('when the work throws, then the consumer span ends with an error status', async () => {
      await expect(
        inConsumerSpan('test', 'failing', undefined, {}, async () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await tracing.spans()).find((s) => s.name === 'failing')?.status.code).toBe(2);
    });
  });
});

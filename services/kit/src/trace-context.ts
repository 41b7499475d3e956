import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';

/** A W3C trace context as it travels in an outbox row or a stream entry. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/**
 * The active span's trace context, to store next to work done later elsewhere (an outbox row).
 * Empty when tracing is off: without an SDK the API's propagator writes nothing.
 */
export function activeTraceContext(): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return pick(carrier);
}

/** The trace context that `span` runs in, under `parent`. */
export function traceContextOf(span: Span, parent: Context = ROOT_CONTEXT): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  return pick(carrier);
}

/** A stored trace context, as read back (database columns may be NULL). */
export type StoredTraceContext = {
  [K in keyof TraceCarrier]?: string | null | undefined;
};

/** A context to start spans under, continuing a stored trace (ROOT_CONTEXT when none). */
export function contextFromCarrier(carrier: StoredTraceContext | undefined): Context {
  const fields: Record<string, string> = {};
  if (carrier?.traceparent) fields.traceparent = carrier.traceparent;
  if (carrier?.tracestate) fields.tracestate = carrier.tracestate;
  return propagation.extract(ROOT_CONTEXT, fields);
}

function pick(carrier: Record<string, string>): TraceCarrier {
  const picked: TraceCarrier = {};
  if (carrier.traceparent) picked.traceparent = carrier.traceparent;
  if (carrier.tracestate) picked.tracestate = carrier.tracestate;
  return picked;
}

/**
 * Runs `work` in a consumer span continuing `carrier`'s trace (messaging semantic conventions),
 * ending it with an error status when `work` throws. A no-op span when tracing is off.
 */
export async function inConsumerSpan<T>(
  tracerName: string,
  name: string,
  carrier: StoredTraceContext | undefined,
  attributes: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer(tracerName);
  return tracer.startActiveSpan(
    name,
    { kind: SpanKind.CONSUMER, attributes },
    contextFromCarrier(carrier),
    async (span) => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** A started producer span: `carrier` is its trace context, to send with the message. */
export interface ProducerSpan {
  carrier: TraceCarrier;
  /** Ends the span; with an error, marked failed. */
  end(error?: unknown): void;
}

/**
 * A producer span (messaging semantic conventions) continuing a stored trace, e.g. the request
 * that wrote an outbox row. The caller sends `carrier` with the message and ends the span once
 * the broker answered. A no-op span with an empty carrier when tracing is off.
 */
export function startProducerSpan(
  tracerName: string,
  name: string,
  parent: StoredTraceContext | undefined,
  attributes: Record<string, string>,
): ProducerSpan {
  const parentContext = contextFromCarrier(parent);
  const span = trace
    .getTracer(tracerName)
    .startSpan(name, { kind: SpanKind.PRODUCER, attributes }, parentContext);
  return {
    carrier: traceContextOf(span, parentContext),
    end(error) {
      if (error !== undefined) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    },
  };
}

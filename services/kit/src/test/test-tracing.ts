// Tests only: an OpenTelemetry SDK that keeps finished spans in memory, so a test can follow a
// trace through real code (outbox → stream → consumer) without an OTLP receiver.
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';

export interface InMemoryTracing {
  /** The spans ended so far (exported first: the processor hands them over asynchronously). */
  spans: () => Promise<ReadableSpan[]>;
  reset: () => void;
  shutdown: () => Promise<void>;
}

/** Starts the global tracer provider, context manager and W3C propagator; no instrumentations. */
export function startInMemoryTracing(serviceName = 'test'): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  const sdk = new NodeSDK({
    serviceName,
    spanProcessors: [processor],
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return {
    spans: async () => {
      await processor.forceFlush();
      return exporter.getFinishedSpans();
    },
    reset: () => exporter.reset(),
    shutdown: () => sdk.shutdown(),
  };
}

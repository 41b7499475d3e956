// OpenTelemetry for the gateway, as the services' src/instrumentation.ts: off unless
// OTEL_EXPORTER_OTLP_ENDPOINT is set, and then not even loaded (the SDK costs tens of MB). When on,
// the http instrumentation makes a server span per request and sends `traceparent` to the
// services, so their spans join the gateway's trace.
import type { Tracing } from '@ums/service-kit/tracing';

const otlpEndpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;

export const tracing: Tracing | undefined = otlpEndpoint
  ? (await import('@ums/service-kit/tracing')).startTracing({
      serviceName: 'gateway',
      otlpEndpoint,
    })
  : undefined;

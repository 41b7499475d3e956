// Preloaded with `node --import ./src/instrumentation.ts src/main.ts`: OpenTelemetry must patch
// http, express, mongodb and ioredis before they are imported. Off unless
// OTEL_EXPORTER_OTLP_ENDPOINT is set, and then not even loaded: the OpenTelemetry SDK alone is tens
// of MB of resident memory (the auth service does the same).
import type { Tracing } from '@ums/service-kit/tracing';

const otlpEndpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;

export const tracing: Tracing | undefined = otlpEndpoint
  ? (await import('@ums/service-kit/tracing')).startTracing({
      serviceName: process.env.SERVICE_NAME ?? 'profile',
      otlpEndpoint,
    })
  : undefined;

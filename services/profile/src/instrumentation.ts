// Preloaded with `node --import ./src/instrumentation.ts src/main.ts`: OpenTelemetry must patch
// http, express, mongodb and ioredis before they are imported. Off unless
// OTEL_EXPORTER_OTLP_ENDPOINT is set.
import { startTracing } from '@ums/service-kit/tracing';

export const tracing = startTracing({
  serviceName: process.env.SERVICE_NAME ?? 'profile',
  otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
});

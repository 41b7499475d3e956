import { register } from 'node:module';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** An instrumentation (or group of them) as NodeSDK accepts it. */
export type Instrumentation = NodeSDKConfiguration['instrumentations'][number];

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP base URL, e.g. http://otel-collector:4318. Tracing is off when undefined. */
  otlpEndpoint?: string;
  /** Replaces the default set (http, express, pg, ioredis, mongodb). */
  instrumentations?: Instrumentation[];
  /**
   * Register the import-in-the-middle loader hook so ES modules (and CommonJS packages such as
   * express or pg imported from ES modules) can be instrumented. Default true.
   */
  esmLoaderHook?: boolean;
}

export interface Tracing {
  /** Exports buffered spans now. */
  forceFlush: () => Promise<void>;
  /** Flushes and stops; use as a shutdown closer. */
  shutdown: () => Promise<void>;
}

/**
 * Query parameters that carry credentials in this platform's flows (OAuth, password reset,
 * email verification), plus the cloud-signature ones the http instrumentation redacts by
 * default (setting the option replaces that list, so they are repeated here).
 */
export const redactedQueryParams = [
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'state',
  'password',
  'secret',
  'client_secret',
  'api_key',
  'apiKey',
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
];

const probePaths = new Set(['/health', '/ready', '/metrics']);

export function defaultInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      redactedQueryParams,
      redactedQueryParamsServer: redactedQueryParams,
      // Probes and scrapes would otherwise be most of the traces.
      ignoreIncomingRequestHook: (req) => probePaths.has((req.url ?? '').split('?')[0] ?? ''),
    }),
    new ExpressInstrumentation(),
    new PgInstrumentation(),
    new IORedisInstrumentation(),
    new MongoDBInstrumentation(),
  ];
}

/**
 * Starts OpenTelemetry tracing, exporting to `${otlpEndpoint}/v1/traces`. Returns undefined and
 * does nothing when no endpoint is configured.
 *
 * Instrumentation patches modules as they load, so call this from a file preloaded with
 * `node --import ./src/instrumentation.ts src/main.ts`, before the app's own imports.
 */
export function startTracing(options: TracingOptions): Tracing | undefined {
  if (options.otlpEndpoint === undefined) return undefined;
  if (options.esmLoaderHook ?? true) {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  }
  const exporter = new OTLPTraceExporter({
    url: `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces`,
  });
  const spanProcessor = new BatchSpanProcessor({ exporter });
  const sdk = new NodeSDK({
    resource: defaultResource().merge(
      resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    ),
    spanProcessors: [spanProcessor],
    instrumentations: options.instrumentations ?? defaultInstrumentations(),
    // Without these the SDK also starts OTLP metric and log exporters by default; metrics go
    // through Prometheus and logs through pino here.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return {
    forceFlush: () => spanProcessor.forceFlush(),
    shutdown: () => sdk.shutdown(),
  };
}

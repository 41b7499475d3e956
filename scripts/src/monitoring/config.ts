// The local monitoring servers' configuration as plain objects (written out as YAML by
// servers.ts): Prometheus scraping the local stack, Alertmanager with one receiver, Jaeger v2 with
// an OTLP receiver and in-memory storage. Pure: no file system, no environment.

/** The scrape jobs of the local stack (docs/local-stack.md; named in /tmp/mon/contract.md). */
export const scrapeJobs = ['gateway', 'auth', 'profile', 'operator', 'node'] as const;
export type ScrapeJob = (typeof scrapeJobs)[number];

export interface MonitoringPorts {
  prometheus: number;
  alertmanager: number;
  nodeExporter: number;
  /** Jaeger's UI and query API (HTTP). */
  jaegerQuery: number;
  /** Jaeger's query API over gRPC (the UI does not need it; it gets its own port so as not to clash). */
  jaegerQueryGrpc: number;
  jaegerOtlpHttp: number;
  jaegerOtlpGrpc: number;
  /** Jaeger's health check (healthcheckv2, GET /status). */
  jaegerHealth: number;
}

export const defaultPorts: Readonly<MonitoringPorts> = {
  prometheus: 59090,
  alertmanager: 59093,
  nodeExporter: 59100,
  jaegerQuery: 56686,
  jaegerQueryGrpc: 56685,
  jaegerOtlpHttp: 54318,
  jaegerOtlpGrpc: 54317,
  jaegerHealth: 53133,
};

/** Static labels every local series carries, standing in for what the cluster's relabeling adds. */
export interface TargetLabels {
  namespace: string;
  ums_instance: string;
}
export const localLabels: Readonly<TargetLabels> = { namespace: 'local', ums_instance: 'local' };

/** `host:port` per job: the stack's default ports (AUTH_PORT, ... move them as start.ts does). */
export function defaultTargets(
  env: NodeJS.ProcessEnv,
  ports: Pick<MonitoringPorts, 'nodeExporter'>,
): Record<ScrapeJob, string[]> {
  return {
    gateway: [`127.0.0.1:${env.GATEWAY_PORT ?? 8000}`],
    auth: [`127.0.0.1:${env.AUTH_PORT ?? 8001}`],
    profile: [`127.0.0.1:${env.PROFILE_PORT ?? 8002}`],
    operator: [`127.0.0.1:${env.OPERATOR_METRICS_PORT ?? 58080}`],
    node: [`127.0.0.1:${ports.nodeExporter}`],
  };
}

export interface PrometheusConfigInput {
  targets: Readonly<Record<ScrapeJob, readonly string[]>>;
  labels: TargetLabels;
  /** Absolute paths; Prometheus fails to start when one does not parse. */
  ruleFiles: readonly string[];
  alertmanagerPort: number;
  /** Short, so that tests see series and alerts within seconds. */
  scrapeInterval: string;
  evaluationInterval: string;
}

export function prometheusConfig(input: PrometheusConfigInput): Record<string, unknown> {
  return {
    global: {
      scrape_interval: input.scrapeInterval,
      // Prometheus refuses a timeout longer than the interval; its 10 s default is.
      scrape_timeout: input.scrapeInterval,
      evaluation_interval: input.evaluationInterval,
    },
    rule_files: [...input.ruleFiles],
    alerting: {
      alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${input.alertmanagerPort}`] }] }],
    },
    scrape_configs: scrapeJobs.map((job) => ({
      job_name: job,
      metrics_path: '/metrics',
      static_configs: [{ targets: [...input.targets[job]], labels: { ...input.labels } }],
    })),
  };
}

export interface AlertmanagerConfigInput {
  /** Receives every notification (Alertmanager's webhook JSON) when given; none otherwise. */
  webhookUrl?: string;
  /** group_wait / group_interval: short, so that a firing alert is notified within seconds. */
  groupWait: string;
  groupInterval: string;
}

export function alertmanagerConfig(input: AlertmanagerConfigInput): Record<string, unknown> {
  const receiver: Record<string, unknown> = { name: 'local' };
  if (input.webhookUrl) receiver.webhook_configs = [{ url: input.webhookUrl, send_resolved: true }];
  return {
    route: {
      receiver: 'local',
      group_by: ['alertname', 'namespace', 'ums_instance'],
      group_wait: input.groupWait,
      group_interval: input.groupInterval,
      repeat_interval: '1h',
    },
    receivers: [receiver],
  };
}

/**
 * Jaeger v2 (an OpenTelemetry Collector distribution): OTLP in, in-memory storage, the query
 * extension serving the UI and the APIs (/api/traces/<id>, /api/v3/traces/<id>). Only what is
 * listed here listens, all on loopback; the collector's own metrics are off (they would take
 * port 8888).
 */
export function jaegerConfig(
  ports: Pick<
    MonitoringPorts,
    'jaegerQuery' | 'jaegerQueryGrpc' | 'jaegerOtlpHttp' | 'jaegerOtlpGrpc' | 'jaegerHealth'
  >,
  maxTraces = 100_000,
): Record<string, unknown> {
  const at = (port: number) => ({ endpoint: `127.0.0.1:${port}` });
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['batch'],
          exporters: ['jaeger_storage_exporter'],
        },
      },
      telemetry: {
        resource: { 'service.name': 'jaeger' },
        metrics: { level: 'none' },
        logs: { level: 'info' },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: at(ports.jaegerHealth) },
      jaeger_storage: { backends: { memstore: { memory: { max_traces: maxTraces } } } },
      jaeger_query: {
        storage: { traces: 'memstore' },
        http: at(ports.jaegerQuery),
        grpc: at(ports.jaegerQueryGrpc),
      },
    },
    receivers: {
      otlp: {
        protocols: { grpc: at(ports.jaegerOtlpGrpc), http: at(ports.jaegerOtlpHttp) },
      },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'memstore' } },
  };
}

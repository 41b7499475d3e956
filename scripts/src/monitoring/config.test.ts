import { describe, expect, it } from '@jest/globals';
import {
  alertmanagerConfig,
  defaultPorts,
  defaultTargets,
  jaegerConfig,
  localLabels,
  prometheusConfig,
  scrapeJobs,
} from './config.ts';

const input = {
  targets: defaultTargets({}, defaultPorts),
  labels: localLabels,
  ruleFiles: ['/repo/monitoring/rules/ums-alerts.rules.yaml'],
  alertmanagerPort: 59093,
  scrapeInterval: '5s',
  evaluationInterval: '5s',
};

interface ScrapeConfig {
  job_name: string;
  static_configs: { targets: string[]; labels: Record<string, string> }[];
}

describe('prometheusConfig', () => {
  it('when built with the defaults, then it scrapes the five jobs on the npm start ports, each labelled namespace and ums_instance local', () => {
    const config = prometheusConfig(input) as { scrape_configs: ScrapeConfig[] };
    expect(config.scrape_configs.map((c) => c.job_name)).toEqual([
      'gateway',
      'auth',
      'profile',
      'operator',
      'node',
    ]);
    const targets = Object.fromEntries(
      config.scrape_configs.map((c) => [c.job_name, c.static_configs[0]?.targets]),
    );
    expect(targets).toEqual({
      gateway: ['127.0.0.1:8000'],
      auth: ['127.0.0.1:8001'],
      profile: ['127.0.0.1:8002'],
      operator: ['127.0.0.1:58080'],
      node: ['127.0.0.1:59100'],
    });
    for (const c of config.scrape_configs)
      expect(c.static_configs[0]?.labels).toEqual({ namespace: 'local', ums_instance: 'local' });
  });

  it('when ports move (AUTH_PORT, GATEWAY_PORT, ...), then the targets follow', () => {
    const targets = defaultTargets(
      {
        GATEWAY_PORT: '9000',
        AUTH_PORT: '9001',
        PROFILE_PORT: '9002',
        OPERATOR_METRICS_PORT: '9003',
      },
      { nodeExporter: 9004 },
    );
    expect(Object.values(targets).flat()).toEqual([
      '127.0.0.1:9000',
      '127.0.0.1:9001',
      '127.0.0.1:9002',
      '127.0.0.1:9003',
      '127.0.0.1:9004',
    ]);
  });

  it('when given rule files and an Alertmanager port, then it loads those rules, sends alerts there and scrapes and evaluates at the given interval', () => {
    const config = prometheusConfig({ ...input, scrapeInterval: '2s', evaluationInterval: '3s' });
    expect(config).toMatchObject({
      global: { scrape_interval: '2s', scrape_timeout: '2s', evaluation_interval: '3s' },
      rule_files: ['/repo/monitoring/rules/ums-alerts.rules.yaml'],
      alerting: { alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:59093'] }] }] },
    });
  });

  it('when there is no rules file, then rule_files is empty (Prometheus starts without rules)', () => {
    expect(prometheusConfig({ ...input, ruleFiles: [] }).rule_files).toEqual([]);
  });

  it('the job list is the contract one', () => {
    expect(scrapeJobs).toEqual(['gateway', 'auth', 'profile', 'operator', 'node']);
  });
});

describe('alertmanagerConfig', () => {
  it('when no webhook is given, then the one receiver has no notifier', () => {
    expect(alertmanagerConfig({ groupWait: '1s', groupInterval: '5s' })).toEqual({
      route: {
        receiver: 'local',
        group_by: ['alertname', 'namespace', 'ums_instance'],
        group_wait: '1s',
        group_interval: '5s',
        repeat_interval: '1h',
      },
      receivers: [{ name: 'local' }],
    });
  });

  it('when a webhook is given, then the receiver posts to it, resolutions included', () => {
    const config = alertmanagerConfig({
      webhookUrl: 'http://127.0.0.1:4000/alerts',
      groupWait: '1s',
      groupInterval: '5s',
    });
    expect(config.receivers).toEqual([
      {
        name: 'local',
        webhook_configs: [{ url: 'http://127.0.0.1:4000/alerts', send_resolved: true }],
      },
    ]);
  });
});

describe('jaegerConfig', () => {
  const config = jaegerConfig(defaultPorts) as {
    service: {
      extensions: string[];
      pipelines: { traces: Record<string, string[]> };
      telemetry: { metrics: { level: string } };
    };
    extensions: Record<string, Record<string, unknown>>;
    receivers: { otlp: { protocols: Record<string, { endpoint: string }> } };
  };

  it('when built, then OTLP arrives on 54318 (HTTP) and 54317 (gRPC) and goes to the in-memory store that the query API on 56686 reads', () => {
    expect(config.receivers.otlp.protocols).toEqual({
      http: { endpoint: '127.0.0.1:54318' },
      grpc: { endpoint: '127.0.0.1:54317' },
    });
    expect(config.service.pipelines.traces).toEqual({
      receivers: ['otlp'],
      processors: ['batch'],
      exporters: ['jaeger_storage_exporter'],
    });
    expect(config.extensions.jaeger_query).toEqual({
      storage: { traces: 'memstore' },
      http: { endpoint: '127.0.0.1:56686' },
      grpc: { endpoint: '127.0.0.1:56685' },
    });
    expect(config.extensions.jaeger_storage).toEqual({
      backends: { memstore: { memory: { max_traces: 100_000 } } },
    });
  });

  it("when built, then everything listens on loopback and the collector's own metrics port (8888) is off", () => {
    const endpoints = JSON.stringify(config).match(/"endpoint":"[^"]+"/g) ?? [];
    expect(endpoints).toHaveLength(5);
    for (const e of endpoints) expect(e).toMatch(/"endpoint":"127\.0\.0\.1:\d+"/);
    expect(config.service.telemetry.metrics.level).toBe('none');
    expect(config.service.extensions).toEqual(['jaeger_storage', 'jaeger_query', 'healthcheckv2']);
  });
});

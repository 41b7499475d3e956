// The real servers (Debian's Prometheus, Alertmanager and node exporter, the Jaeger v2 built by
// scripts/ums.sh) started by startMonitoring on free ports in a temp dir, as a test's own copies.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  alertmanagerAlerts,
  jaegerServices,
  jaegerTrace,
  promAlertmanagers,
  promQuery,
  promRules,
  promTargets,
  traceServices,
  waitFor,
} from './clients.ts';
import {
  freeMonitoringPorts,
  monitoringStatus,
  startMonitoring,
  type Monitoring,
} from './index.ts';

const rules = `groups:
  - name: ums-monitoring-self-test
    interval: 1s
    rules:
      - alert: UmsMonitoringSelfTest
        expr: vector(1) > 0
        labels: { severity: info }
        annotations: { summary: 'always firing: proves the path to Alertmanager' }
      - record: ums:self_test:up
        expr: up
`;

let dir: string;
let monitoring: Monitoring;
let webhook: Server;
const notifications: { alerts: { labels: Record<string, string>; status: string }[] }[] = [];

beforeAll(async () => {
  // A clear pointer rather than an ENOENT: only scripts/ums.sh knows where Jaeger is built.
  if (!process.env.JAEGER_BIN)
    throw new Error('JAEGER_BIN is not set: run `npm run monitoring:up` once, or `npm test`');
  dir = mkdtempSync(join(tmpdir(), 'ums-monitoring-'));
  writeFileSync(join(dir, 'self-test.rules.yaml'), rules);
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      notifications.push(JSON.parse(body) as (typeof notifications)[number]);
      res.end();
    });
  });
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  const { port } = webhook.address() as { port: number };
  monitoring = await startMonitoring({
    dataDir: dir,
    runDir: dir,
    ports: await freeMonitoringPorts(),
    ruleFiles: [join(dir, 'self-test.rules.yaml')],
    interval: '1s',
    alertWebhookUrl: `http://127.0.0.1:${port}/alerts`,
  });
}, 120_000);

afterAll(async () => {
  await monitoring?.stop();
  await new Promise((r) => webhook?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('startMonitoring on the real servers', () => {
  it('when started, then all four ran here and their configs are under the data dir', () => {
    expect(monitoring.started.sort()).toEqual([
      'alertmanager',
      'jaeger',
      'node-exporter',
      'prometheus',
    ]);
    expect(monitoring.reused).toEqual([]);
    const prom = parse(readFileSync(monitoring.configFiles.prometheus, 'utf8')) as {
      rule_files: string[];
    };
    expect(prom.rule_files).toEqual([join(dir, 'self-test.rules.yaml')]);
  });

  it('when Prometheus is ready, then it has the five jobs, each target labelled namespace and ums_instance local, and scrapes the node exporter', async () => {
    // Service discovery (static here) hands the targets over a moment after /-/ready.
    const targets = await waitFor('five targets', async () => {
      const t = await promTargets(monitoring.urls.prometheus);
      return t.length === 5 ? t : undefined;
    });
    expect(targets.map((t) => t.scrapePool).sort()).toEqual([
      'auth',
      'gateway',
      'node',
      'operator',
      'profile',
    ]);
    for (const t of targets)
      expect(t.labels).toMatchObject({ namespace: 'local', ums_instance: 'local' });
    const node = await waitFor('node exporter series', async () => {
      const series = await promQuery(
        monitoring.urls.prometheus,
        'node_filesystem_avail_bytes{job="node",namespace="local",ums_instance="local"}',
      );
      return series.length > 0 ? series : undefined;
    });
    expect(node[0]?.metric.instance).toBe(`127.0.0.1:${monitoring.ports.nodeExporter}`);
  });

  it('when given a rules file, then Prometheus loaded and evaluates it', async () => {
    const groups = await waitFor('the rule group evaluated', async () => {
      const g = await promRules(monitoring.urls.prometheus);
      return g[0]?.rules.every((r) => r.health === 'ok') ? g : undefined;
    });
    expect(groups.map((g) => [g.name, g.file])).toEqual([
      ['ums-monitoring-self-test', join(dir, 'self-test.rules.yaml')],
    ]);
    expect(groups[0]?.rules.map((r) => [r.type, r.name])).toEqual([
      ['alerting', 'UmsMonitoringSelfTest'],
      ['recording', 'ums:self_test:up'],
    ]);
  });

  it('when a rule fires, then Prometheus sends it to this Alertmanager, which holds it and notifies the webhook', async () => {
    const alertmanagers = await waitFor('an Alertmanager in Prometheus', async () => {
      const a = await promAlertmanagers(monitoring.urls.prometheus);
      return a.length > 0 ? a : undefined;
    });
    expect(alertmanagers).toEqual([
      `http://127.0.0.1:${monitoring.ports.alertmanager}/api/v2/alerts`,
    ]);
    const alert = await waitFor('the alert in Alertmanager', async () =>
      (await alertmanagerAlerts(monitoring.urls.alertmanager)).find(
        (a) => a.labels.alertname === 'UmsMonitoringSelfTest',
      ),
    );
    expect(alert.status.state).toBe('active');
    expect(alert.labels.severity).toBe('info');
    await waitFor('the webhook notification', async () =>
      notifications.find((n) =>
        n.alerts.some((a) => a.labels.alertname === 'UmsMonitoringSelfTest'),
      ),
    );
  });

  it('when a span is posted over OTLP/HTTP, then Jaeger returns it from its query APIs', async () => {
    const traceId = randomBytes(16).toString('hex');
    const spanId = randomBytes(8).toString('hex');
    const now = BigInt(Date.now()) * 1_000_000n;
    const response = await fetch(`${monitoring.urls.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: {
              attributes: [{ key: 'service.name', value: { stringValue: 'ums-self-test' } }],
            },
            scopeSpans: [
              {
                scope: { name: 'monitoring.test' },
                spans: [
                  {
                    traceId,
                    spanId,
                    name: 'self-test span',
                    kind: 2,
                    startTimeUnixNano: String(now - 5_000_000n),
                    endTimeUnixNano: String(now),
                    attributes: [{ key: 'http.route', value: { stringValue: '/self-test' } }],
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const trace = await waitFor('the trace in Jaeger', () =>
      jaegerTrace(monitoring.urls.jaeger, traceId),
    );
    expect(trace.spans.map((s) => [s.spanID, s.operationName])).toEqual([
      [spanId, 'self-test span'],
    ]);
    expect(traceServices(trace)).toEqual(['ums-self-test']);
    expect(await jaegerServices(monitoring.urls.jaeger)).toContain('ums-self-test');
    const v3 = await fetch(`${monitoring.urls.jaeger}/api/v3/traces/${traceId}`);
    expect(v3.status).toBe(200);
    expect(await v3.text()).toContain(spanId);
  });

  it('when started again with the same run dir, then the running servers are reused and left running by the second stop', async () => {
    const again = await startMonitoring({ dataDir: dir, runDir: dir, ports: monitoring.ports });
    expect(again.started).toEqual([]);
    expect(again.reused.sort()).toEqual(['alertmanager', 'jaeger', 'node-exporter', 'prometheus']);
    await again.stop();
    const status = monitoringStatus(dir);
    expect(Object.values(status).every((pid) => typeof pid === 'number')).toBe(true);
    expect((await fetch(`${monitoring.urls.prometheus}/-/ready`)).status).toBe(200);
  });

  it('when a port is taken by another program, then the start fails naming it and starts nothing', async () => {
    const other = mkdtempSync(join(tmpdir(), 'ums-monitoring-'));
    try {
      await expect(
        startMonitoring({
          dataDir: other,
          servers: ['node-exporter'],
          ports: { nodeExporter: monitoring.ports.prometheus },
        }),
      ).rejects.toThrow(
        `node-exporter: port ${monitoring.ports.prometheus} on 127.0.0.1 is already in use`,
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

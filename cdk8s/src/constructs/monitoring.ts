// What Prometheus (through the Prometheus Operator) needs to watch one instance: a ServiceMonitor
// for the auth and profile Services, one for the operator, and the first alert rules. The
// dashboards, the full rule set and their promtool tests are issue #12's.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as api from '@ums/operator/src/api/group.ts';
import { waveAnnotations } from '../sync-waves.ts';

export interface MonitoringProps {
  /** The instance watched (its name is the `app.kubernetes.io/instance` label of its Services). */
  readonly instanceName: string;
  /** The instance's namespace; the ServiceMonitor and rules live next to it. */
  readonly namespace: string;
  /** Labels the Prometheus resource selects ServiceMonitors and rules by, such as `release: kube-prometheus-stack`. */
  readonly prometheusSelector: Readonly<Record<string, string>>;
  /** Share of 5xx responses over 5 minutes above which `UmsHighErrorRate` fires (0.05 = 5 %). */
  readonly errorRatio: number;
  /** 95th-percentile latency in seconds above which `UmsSlowRequests` fires. */
  readonly p95Seconds: number;
}

const monitoringGroup = 'monitoring.coreos.com/v1';

export class Monitoring extends Construct {
  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const labels = { ...props.prometheusSelector, [api.labels.partOf]: api.partOf };
    const metadata = (name: string, namespace = props.namespace) => ({
      name,
      namespace,
      labels,
      annotations: waveAnnotations('monitoring'),
    });

    new ApiObject(this, 'services', {
      apiVersion: monitoringGroup,
      kind: 'ServiceMonitor',
      metadata: metadata(`${props.instanceName}-services`),
      spec: {
        selector: {
          matchLabels: { [api.labels.instance]: props.instanceName },
          matchExpressions: [
            { key: api.labels.component, operator: 'In', values: ['auth', 'profile'] },
          ],
        },
        endpoints: [{ port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }],
      },
    });

    new ApiObject(this, 'operator', {
      apiVersion: monitoringGroup,
      kind: 'PodMonitor',
      metadata: metadata(api.operatorName, api.operatorNamespace),
      spec: {
        selector: { matchLabels: { [api.labels.name]: api.operatorName } },
        podMetricsEndpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
      },
    });

    // `up` carries the target's labels (the Service's name), not the app's own `service_name`.
    const targets = `{namespace="${props.namespace}", service=~"${props.instanceName}-(auth|profile)"}`;
    new ApiObject(this, 'rules', {
      apiVersion: monitoringGroup,
      kind: 'PrometheusRule',
      metadata: metadata(`${props.instanceName}-alerts`),
      spec: {
        groups: [
          {
            name: 'user-management.availability',
            rules: [
              {
                alert: 'UmsTargetDown',
                expr: `up${targets} == 0`,
                for: '5m',
                labels: { severity: 'critical' },
                annotations: {
                  summary: 'A {{ $labels.service }} pod has not answered a scrape for 5 minutes.',
                },
              },
              {
                alert: 'UmsHighErrorRate',
                expr:
                  `sum by (service_name) (rate(http_request_duration_seconds_count{namespace="${props.namespace}", status_code=~"5.."}[5m]))` +
                  ` / sum by (service_name) (rate(http_request_duration_seconds_count{namespace="${props.namespace}"}[5m])) > ${props.errorRatio}`,
                for: '10m',
                labels: { severity: 'critical' },
                annotations: {
                  summary: `More than ${props.errorRatio * 100} % of {{ $labels.service_name }} requests fail with 5xx.`,
                },
              },
              {
                alert: 'UmsSlowRequests',
                expr:
                  `histogram_quantile(0.95, sum by (service_name, le) (rate(http_request_duration_seconds_bucket{namespace="${props.namespace}"}[5m])))` +
                  ` > ${props.p95Seconds}`,
                for: '10m',
                labels: { severity: 'warning' },
                annotations: {
                  summary: `{{ $labels.service_name }} p95 latency is above ${props.p95Seconds} s.`,
                },
              },
            ],
          },
        ],
      },
    });
  }
}

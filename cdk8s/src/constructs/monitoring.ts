// What Prometheus (through the Prometheus Operator) and Grafana need to watch one instance: a
// ServiceMonitor for the auth and profile Services and a PodMonitor for the operator, the alert
// rules and the dashboards, both from the one source in operator/src/monitoring (never copied).
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as api from '@ums/operator/src/api/group.ts';
import {
  clusterRuleGroups,
  dashboards,
  instanceRuleGroups,
} from '@ums/operator/src/monitoring/index.ts';
import { waveAnnotations } from '../sync-waves.ts';

export interface MonitoringProps {
  /** The instance watched (its name is the `app.kubernetes.io/instance` label of its Services). */
  readonly instanceName: string;
  /** The instance's namespace; the ServiceMonitor, its rules and the dashboards live next to it. */
  readonly namespace: string;
  /** Labels the Prometheus resource selects ServiceMonitors and rules by, such as `release: kube-prometheus-stack`. */
  readonly prometheusSelector: Readonly<Record<string, string>>;
}

const monitoringGroup = 'monitoring.coreos.com/v1';
/** The Grafana dashboard sidecar's convention (Grafana Helm chart, kube-prometheus-stack). */
export const dashboardLabel = { grafana_dashboard: '1' } as const;
export const dashboardFolderAnnotation = { grafana_folder: 'User Management' } as const;

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
        // `job` is the component (auth, profile), as the local stack's scrape jobs are named.
        jobLabel: api.labels.component,
        selector: {
          matchLabels: { [api.labels.instance]: props.instanceName },
          matchExpressions: [
            { key: api.labels.component, operator: 'In', values: ['auth', 'profile'] },
          ],
        },
        endpoints: [
          {
            port: 'http',
            path: '/metrics',
            interval: '30s',
            scrapeTimeout: '10s',
            // Every rule and dashboard aggregates by (namespace, ums_instance).
            relabelings: [
              {
                sourceLabels: ['__meta_kubernetes_service_label_app_kubernetes_io_instance'],
                targetLabel: 'ums_instance',
              },
            ],
          },
        ],
      },
    });

    // The operator serves every instance: its series carry no ums_instance.
    new ApiObject(this, 'operator', {
      apiVersion: monitoringGroup,
      kind: 'PodMonitor',
      metadata: metadata(api.operatorName, api.operatorNamespace),
      spec: {
        selector: { matchLabels: { [api.labels.name]: api.operatorName } },
        podMetricsEndpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
      },
    });

    new ApiObject(this, 'rules', {
      apiVersion: monitoringGroup,
      kind: 'PrometheusRule',
      metadata: metadata(`${props.instanceName}-alerts`),
      spec: {
        groups: instanceRuleGroups({
          matchers: `namespace="${props.namespace}",ums_instance="${props.instanceName}"`,
        }),
      },
    });

    // Once per cluster, next to the operator: one copy per instance would alert N times.
    new ApiObject(this, 'cluster-rules', {
      apiVersion: monitoringGroup,
      kind: 'PrometheusRule',
      metadata: metadata(`${api.operatorName}-alerts`, api.operatorNamespace),
      spec: { groups: clusterRuleGroups() },
    });

    for (const d of dashboards()) {
      new ApiObject(this, `dashboard-${d.uid}`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: `${props.instanceName}-dashboard-${d.uid}`,
          namespace: props.namespace,
          labels: { ...dashboardLabel, [api.labels.partOf]: api.partOf },
          annotations: { ...waveAnnotations('monitoring'), ...dashboardFolderAnnotation },
        },
        data: { [d.fileName]: JSON.stringify(d.json) },
      });
    }
  }
}

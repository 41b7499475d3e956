// ServiceMonitors (Prometheus Operator): one per component that serves metrics. auth and profile
// answer `/metrics` on their http port (services/kit's createServiceApp); web is nginx with
// static files and serves none.
import * as api from '../api/group.ts';
import type { InstanceRef } from '../api/types.ts';
import { monitoringApiVersion } from '../runtime/kinds.ts';
import { childName, selectorLabels } from './meta.ts';
import { instanceLabel, monitoringMeta } from './monitoring-meta.ts';
import type { MonitoringObject } from './monitoring-meta.ts';
import { servicePortName } from './service.ts';

export const monitoredComponents = ['auth', 'profile'] as const;
export type MonitoredComponent = (typeof monitoredComponents)[number];

/** Prometheus' name for a Service label, as service discovery exposes it before relabeling. */
export function serviceMetaLabel(label: string): string {
  return `__meta_kubernetes_service_label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

export function serviceMonitorName(instance: InstanceRef, component: MonitoredComponent): string {
  return childName(instance, component);
}

export function buildServiceMonitor(
  instance: InstanceRef,
  component: MonitoredComponent,
): MonitoringObject {
  return {
    apiVersion: monitoringApiVersion,
    kind: 'ServiceMonitor',
    metadata: monitoringMeta(instance, serviceMonitorName(instance, component), component),
    spec: {
      // `job` becomes the component's name (auth, profile), as in the local stack's scrape jobs.
      jobLabel: api.labels.component,
      selector: { matchLabels: selectorLabels(instance, component) },
      namespaceSelector: { matchNames: [instance.namespace] },
      endpoints: [
        {
          port: servicePortName,
          path: '/metrics',
          scheme: 'http',
          interval: '30s',
          scrapeTimeout: '10s',
          relabelings: [
            {
              action: 'replace',
              sourceLabels: [serviceMetaLabel(api.labels.instance)],
              targetLabel: instanceLabel,
            },
          ],
        },
      ],
    },
  };
}

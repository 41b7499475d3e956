// Grafana dashboards as ConfigMaps, one per dashboard, in the convention of Grafana's dashboard
// sidecar (kiwigrid k8s-sidecar, as the Grafana Helm chart and kube-prometheus-stack run it):
// label `grafana_dashboard: "1"`, the dashboard JSON under its file name. No CRD is needed.
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { InstanceRef } from '../api/types.ts';
import type { Dashboard } from '../monitoring/index.ts';
import { shortHash } from '../runtime/canonical-json.ts';
import { childMeta, childName } from './meta.ts';
import { instanceLabel } from './monitoring-meta.ts';

export type { Dashboard };

export const dashboardLabel = 'grafana_dashboard';

/** Grafana refuses dashboard uids longer than this. */
const maxUidLength = 40;

export function dashboardConfigMapName(instance: InstanceRef, dashboard: Dashboard): string {
  const slug = dashboard.fileName
    .replace(/\.json$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return childName(instance, `dashboard-${slug}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The dashboard for one instance. Every instance's copy gets its own uid and title, because
 * Grafana keeps one dashboard per uid (two instances in a cluster would otherwise hide each
 * other), and opens on its own namespace and instance.
 */
export function instanceDashboard(instance: InstanceRef, dashboard: Dashboard): object {
  const suffix = `-${shortHash({ namespace: instance.namespace, name: instance.name }, 8)}`;
  // Through JSON, as the file will be: the SDK's objects carry methods structuredClone refuses.
  const json = JSON.parse(JSON.stringify(dashboard.json)) as Record<string, unknown>;
  json.uid = `${dashboard.uid.slice(0, maxUidLength - suffix.length)}${suffix}`;
  json.title = `${dashboard.title} (${instance.namespace}/${instance.name})`;
  const initial: Record<string, string> = {
    namespace: instance.namespace,
    [instanceLabel]: instance.name,
  };
  const templating = json.templating;
  const variables = isRecord(templating) && Array.isArray(templating.list) ? templating.list : [];
  for (const variable of variables) {
    if (!isRecord(variable) || typeof variable.name !== 'string') continue;
    const value = initial[variable.name];
    if (value !== undefined) variable.current = { selected: true, text: value, value };
  }
  return json;
}

export function buildDashboardConfigMap(instance: InstanceRef, dashboard: Dashboard): V1ConfigMap {
  const meta = childMeta(instance, dashboardConfigMapName(instance, dashboard), 'monitoring');
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { ...meta, labels: { ...meta.labels, [dashboardLabel]: '1' } },
    data: { [dashboard.fileName]: JSON.stringify(instanceDashboard(instance, dashboard)) },
  };
}

// spec.monitoring: ServiceMonitors and the PrometheusRule (Prometheus Operator CRDs, which a
// cluster may lack) and the Grafana dashboard ConfigMaps (plain ConfigMaps). Without the CRDs
// the MonitoringReady condition says so, the rest of the instance rolls out regardless, and the
// instance is looked at again periodically, so installing the CRDs later is enough. A toggle
// turned off deletes what it created.
import type { KubernetesObject } from '@kubernetes/client-node';
import { dashboards, instanceRuleGroups } from '../../monitoring/index.ts';
import { buildDashboardConfigMap, dashboardLabel } from '../../resources/dashboard-config-map.ts';
import { buildPrometheusRule } from '../../resources/prometheus-rule.ts';
import { buildServiceMonitor, monitoredComponents } from '../../resources/service-monitor.ts';
import { ReconcileError } from '../../runtime/kube-errors.ts';
import { monitoringApiVersion, ownedKinds } from '../../runtime/kinds.ts';
import type { OwnedKind } from '../../runtime/kinds.ts';
import type { Observations, ReconcileContext } from '../context.ts';

type PrometheusOperatorKind = 'ServiceMonitor' | 'PrometheusRule';

// The dashboards are the same for every instance and built with the Grafana SDK: build once.
let dashboardSource: ReturnType<typeof dashboards> | undefined;
const allDashboards = () => (dashboardSource ??= dashboards());

/** Names of the live objects of a kind that this instance owns, from the cache. */
function ownedNames(
  ctx: ReconcileContext,
  kind: OwnedKind,
  filter: (obj: KubernetesObject) => boolean = () => true,
): string[] {
  return ctx.caches
    .list(ownedKinds[kind], ctx.ref.namespace)
    .filter((obj) => obj.metadata?.ownerReferences?.some((o) => o.uid === ctx.ref.uid))
    .filter(filter)
    .map((obj) => obj.metadata?.name ?? '');
}

/** Applies `desired` and deletes the instance's other objects of the kind. */
async function converge<T extends KubernetesObject>(
  ctx: ReconcileContext,
  kind: OwnedKind,
  desired: readonly T[],
  existing: readonly string[],
): Promise<void> {
  const wanted = new Set(desired.map((obj) => obj.metadata?.name));
  for (const obj of desired) {
    await ctx.applier.apply(kind, obj, `${kind} ${obj.metadata?.name}`);
  }
  for (const name of existing) {
    if (wanted.has(name)) continue;
    await ctx.applier.deleteIfPresent(kind, ctx.ref.namespace, name, `${kind} ${name}`);
  }
}

async function ensureDashboards(ctx: ReconcileContext): Promise<number> {
  const desired = ctx.ref.spec.monitoring.grafanaDashboards
    ? allDashboards().map((d) => buildDashboardConfigMap(ctx.ref, d))
    : [];
  const existing = ownedNames(ctx, 'ConfigMap', (cm) =>
    Boolean(cm.metadata?.labels?.[dashboardLabel]),
  );
  await converge(ctx, 'ConfigMap', desired, existing);
  return desired.length;
}

/**
 * Converges one Prometheus Operator kind; false when the API server does not serve it. Served
 * or not matters even with the toggle off: what an earlier reconcile created must go.
 */
async function ensurePrometheusOperatorKind(
  ctx: ReconcileContext,
  kind: PrometheusOperatorKind,
  desired: readonly KubernetesObject[],
): Promise<boolean> {
  const info = ownedKinds[kind];
  if (!(await ctx.discovery.served(info))) return false;
  try {
    await ctx.caches.watch(info);
  } catch (err) {
    throw new ReconcileError('WatchFailed', `listing ${kind}s`, err);
  }
  try {
    await converge(ctx, kind, desired, ownedNames(ctx, kind));
  } catch (err) {
    // The CRD went away since discovery last looked: ask again next time.
    if (err instanceof ReconcileError && err.code === 404) ctx.discovery.forget(info);
    throw err;
  }
  return true;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export async function ensureMonitoring(ctx: ReconcileContext, obs: Observations): Promise<void> {
  const { serviceMonitor, prometheusRule, grafanaDashboards } = ctx.ref.spec.monitoring;
  const dashboardCount = await ensureDashboards(ctx);
  const wanted: Record<PrometheusOperatorKind, KubernetesObject[]> = {
    ServiceMonitor: serviceMonitor
      ? monitoredComponents.map((component) => buildServiceMonitor(ctx.ref, component))
      : [],
    // The instance's groups only: the cluster group (operator, node disk) is once per cluster.
    PrometheusRule: prometheusRule ? [buildPrometheusRule(ctx.ref, instanceRuleGroups)] : [],
  };
  const missing: PrometheusOperatorKind[] = [];
  for (const kind of ['ServiceMonitor', 'PrometheusRule'] as const) {
    const served = await ensurePrometheusOperatorKind(ctx, kind, wanted[kind]);
    if (!served && wanted[kind].length > 0) missing.push(kind);
  }
  const created = [
    ...(['ServiceMonitor', 'PrometheusRule'] as const)
      .filter((kind) => wanted[kind].length > 0 && !missing.includes(kind))
      .map((kind) => `${kind} ${wanted[kind].map((o) => o.metadata?.name).join(', ')}`),
    ...(grafanaDashboards ? [plural(dashboardCount, 'Grafana dashboard ConfigMap')] : []),
  ];
  if (missing.length > 0) {
    const recheck = Math.round(ctx.discovery.recheckMs / 1000);
    obs.monitoring = {
      ready: false,
      recheck: true,
      reason: 'PrometheusOperatorMissing',
      message:
        `The Prometheus Operator's CRDs are not installed (${monitoringApiVersion} serves no ${missing.join(' or ')}), so the ${missing.join(' and ')} asked for in spec.monitoring cannot be created: ` +
        `install the Prometheus Operator (for example kube-prometheus-stack) and they are created within ${recheck} s. ` +
        `The rest of the instance is not held up${created.length > 0 ? `; created: ${created.join('; ')}` : ''}.`,
    };
  } else if (created.length > 0) {
    obs.monitoring = {
      ready: true,
      recheck: false,
      reason: 'MonitoringConfigured',
      message: `Created ${created.join('; ')}`,
    };
  } else {
    obs.monitoring = {
      ready: true,
      recheck: false,
      reason: 'MonitoringDisabled',
      message: 'spec.monitoring asks for no monitoring objects',
    };
  }
}

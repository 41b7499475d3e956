// Seam for the monitoring issue: ServiceMonitor, PrometheusRule and Grafana dashboard
// ConfigMaps will be built in src/resources/ (one build*() per kind, generated from the same
// TypeScript sources as the dashboards and alert rules) and applied here. Until then the
// toggles are accepted by the schema and reported, so nobody thinks they are running.
import type { Observations, ReconcileContext } from '../context.ts';

export function ensureMonitoring(ctx: ReconcileContext, obs: Observations): Promise<void> {
  const { monitoring } = ctx.ref.spec;
  for (const [toggle, on] of Object.entries(monitoring)) {
    if (on) obs.unsupported.push(`monitoring.${toggle}`);
  }
  return Promise.resolve();
}

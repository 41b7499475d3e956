// Every Grafana dashboard, built with @grafana/grafana-foundation-sdk, and the PromQL of every
// panel target for the test that runs them against a real Prometheus.
import { eventsDashboard } from './dashboards/events.ts';
import { mongodbDashboard, postgresDashboard, redisDashboard } from './dashboards/databases.ts';
import { operatorDashboard } from './dashboards/operator.ts';
import { overviewDashboard } from './dashboards/overview.ts';
import { securityDashboard } from './dashboards/security.ts';

export interface Dashboard {
  uid: string;
  title: string;
  /** `<uid>.json`: the file under monitoring/dashboards and the ConfigMap key. */
  fileName: string;
  json: object;
}

interface PanelJson {
  title?: string;
  type?: string;
  panels?: PanelJson[];
  targets?: { expr?: string }[];
}

const builders = [
  overviewDashboard,
  securityDashboard,
  eventsDashboard,
  operatorDashboard,
  postgresDashboard,
  mongodbDashboard,
  redisDashboard,
];

export function dashboards(): Dashboard[] {
  return builders.map((build) => {
    // Plain JSON: the SDK's objects carry marker methods (`_implementsDataqueryVariant`).
    const json = JSON.parse(JSON.stringify(build())) as { uid: string; title: string };
    return { uid: json.uid, title: json.title, fileName: `${json.uid}.json`, json };
  });
}

/** Every panel of a dashboard, rows' nested panels included. */
export function panelsOf(json: object): PanelJson[] {
  const walk = (panels: PanelJson[] = []): PanelJson[] =>
    panels.flatMap((p) => [p, ...walk(p.panels)]);
  return walk((json as { panels?: PanelJson[] }).panels);
}

/** What Grafana would send with every variable at "All" and a 5-minute rate interval. */
export function substituteVariables(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '5m')
    .replace(/\$\{?(namespace|ums_instance)\}?/g, '.*');
}

/** Every panel target's PromQL, its template variables substituted (all values, `.*`). */
export function dashboardExpressions(): { dashboard: string; panel: string; expr: string }[] {
  return dashboards().flatMap((d) =>
    panelsOf(d.json).flatMap((p) =>
      (p.targets ?? []).flatMap((t) =>
        t.expr === undefined
          ? []
          : [{ dashboard: d.uid, panel: p.title ?? '', expr: substituteVariables(t.expr) }],
      ),
    ),
  );
}

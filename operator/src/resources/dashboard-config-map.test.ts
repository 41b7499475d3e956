import * as api from '../api/group.ts';
import { dashboards } from '../monitoring/index.ts';
import { instanceRef } from '../test-support/instance.ts';
import {
  buildDashboardConfigMap,
  dashboardConfigMapName,
  instanceDashboard,
} from './dashboard-config-map.ts';
import type { Dashboard } from './dashboard-config-map.ts';

const ref = instanceRef({ monitoring: { grafanaDashboards: true } });

const dashboard: Dashboard = {
  uid: 'ums-platform-overview-with-a-rather-long-uid',
  title: 'UMS platform overview',
  fileName: 'ums-platform-overview.json',
  json: {
    uid: 'ums-platform-overview-with-a-rather-long-uid',
    title: 'UMS platform overview',
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus' },
        { name: 'namespace', type: 'query', query: 'label_values(up, namespace)' },
        {
          name: 'ums_instance',
          type: 'query',
          query: 'label_values(up{namespace="$namespace"}, ums_instance)',
        },
      ],
    },
    panels: [],
  },
};

test('when a dashboard ConfigMap is built, then it carries the Grafana sidecar label and the JSON under the dashboard’s file name', () => {
  const configMap = buildDashboardConfigMap(ref, dashboard);
  expect(configMap.metadata?.name).toBe('demo-dashboard-ums-platform-overview');
  expect(configMap.metadata?.labels).toMatchObject({
    grafana_dashboard: '1',
    [api.labels.instance]: 'demo',
    [api.labels.managedBy]: api.operatorName,
  });
  expect(Object.keys(configMap.data ?? {})).toEqual(['ums-platform-overview.json']);
  const json = JSON.parse(configMap.data?.['ums-platform-overview.json'] ?? '{}') as object;
  expect(json).toEqual(instanceDashboard(ref, dashboard));
  expect(configMap.metadata?.ownerReferences).toEqual([
    expect.objectContaining({ kind: api.kind, uid: ref.uid, controller: true }),
  ]);
});

test('when two instances get the same dashboard, then each copy has its own uid (at most 40 characters) and title, and opens on its own instance', () => {
  const other = instanceRef({ monitoring: { grafanaDashboards: true } }, 'other');
  const mine = instanceDashboard(ref, dashboard) as Record<string, unknown>;
  const theirs = instanceDashboard(other, dashboard) as Record<string, unknown>;
  expect(mine.uid).not.toBe(theirs.uid);
  expect(String(mine.uid).length).toBeLessThanOrEqual(40);
  expect(String(mine.uid)).toMatch(/^ums-platform-overview/);
  expect(mine.title).toBe('UMS platform overview (team-a/demo)');
  const variables = (mine.templating as { list: Record<string, unknown>[] }).list;
  expect(Object.fromEntries(variables.map((v) => [v.name, v.current]))).toEqual({
    datasource: undefined,
    namespace: { selected: true, text: 'team-a', value: 'team-a' },
    ums_instance: { selected: true, text: 'demo', value: 'demo' },
  });
  // The source is left alone: it is shared by every instance (and by the cdk8s app).
  expect((dashboard.json as { uid: string }).uid).toBe(dashboard.uid);
});

test('when a file name has characters a Kubernetes name cannot, then the ConfigMap name is made of the allowed ones', () => {
  expect(dashboardConfigMapName(ref, { ...dashboard, fileName: 'UMS_Events Pipeline.json' })).toBe(
    'demo-dashboard-ums-events-pipeline',
  );
});

test.each(dashboards().map((d) => [d.fileName, d] as const))(
  'when the real dashboard %s is built for an instance, then it fits a ConfigMap, its uid fits Grafana, and it opens on this instance',
  (_file, real) => {
    const configMap = buildDashboardConfigMap(ref, real);
    const text = configMap.data?.[real.fileName] ?? '';
    // A ConfigMap holds at most 1 MiB; leave room for metadata and managed fields.
    expect(Buffer.byteLength(text)).toBeLessThan(512 * 1024);
    const json = JSON.parse(text) as {
      uid: string;
      templating: { list: { name: string; current?: unknown }[] };
    };
    expect(json.uid.length).toBeLessThanOrEqual(40);
    const current = Object.fromEntries(json.templating.list.map((v) => [v.name, v.current]));
    expect(current).toMatchObject({
      namespace: { value: 'team-a' },
      ums_instance: { value: 'demo' },
    });
  },
);

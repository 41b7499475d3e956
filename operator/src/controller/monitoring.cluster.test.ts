// spec.monitoring on the real kube-apiserver with the Prometheus Operator's CRDs installed (the
// v0.95.2 ones generated from its API Go module, $PROMETHEUS_OPERATOR_CRDS): ServiceMonitors,
// the PrometheusRule and the dashboard ConfigMaps are created as built, the CRDs' schemas keep
// every field, drift is repaired, no Secret value is in them, and toggles turned off delete
// them. The cluster-without-CRDs case is monitoring-absent.cluster.test.ts.
import { jest } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import * as api from '../api/group.ts';
import { dashboards, instanceRuleGroups } from '../monitoring/index.ts';
import { buildDashboardConfigMap } from '../resources/dashboard-config-map.ts';
import { buildPrometheusRule } from '../resources/prometheus-rule.ts';
import { buildServiceMonitor } from '../resources/service-monitor.ts';
import {
  admin,
  condition,
  createInstance,
  createNamespace,
  getInstance,
  installOperatorManifests,
  kubectl,
  patchInstanceSpec,
  startOperator,
  waitFor,
} from '../test-support/cluster.ts';
import type { RunningOperator } from '../test-support/cluster.ts';
import { installPrometheusOperatorCrds } from '../test-support/prometheus-operator.ts';

jest.setTimeout(90_000);

const name = 'mon';
const monitoring = {
  serviceMonitor: true,
  prometheusRule: true,
  grafanaDashboards: true,
  labels: { release: 'kube-prometheus-stack' },
};
let namespace: string;
let op: RunningOperator;
const objects = KubernetesObjectApi.makeApiClient(admin.kc);

async function list(apiVersion: string, kind: string, selector = ''): Promise<KubernetesObject[]> {
  const result = await objects.list(
    apiVersion,
    kind,
    namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    [`${api.labels.instance}=${name}`, selector].filter(Boolean).join(','),
  );
  return result.items.map((item) => ({ ...item, kind }));
}

const serviceMonitors = () => list('monitoring.coreos.com/v1', 'ServiceMonitor');
const prometheusRules = () => list('monitoring.coreos.com/v1', 'PrometheusRule');
const dashboardConfigMaps = () => list('v1', 'ConfigMap', 'grafana_dashboard=1');
const names = (items: KubernetesObject[]) => items.map((o) => o.metadata?.name).sort();

/** What the operator builds for this instance, from the same builders and source. */
async function desired() {
  const instance = await getInstance(namespace, name);
  const ref = { name, namespace, uid: instance.metadata.uid, spec: instance.spec };
  return {
    serviceMonitors: (['auth', 'profile'] as const).map((c) => buildServiceMonitor(ref, c)),
    prometheusRule: buildPrometheusRule(ref, instanceRuleGroups),
    configMaps: dashboards().map((d) => buildDashboardConfigMap(ref, d)),
  };
}

beforeAll(async () => {
  await installOperatorManifests();
  await installPrometheusOperatorCrds();
  namespace = await createNamespace('umi-monitoring');
  op = await startOperator(namespace);
  await createInstance(namespace, name, { version: '1.0.0', monitoring });
});

afterAll(async () => {
  await op?.stop();
  if (process.env.DEBUG_OPERATOR_LOGS) console.log(op?.logs.join(''));
});

test('when every monitoring toggle is on, then the ServiceMonitors, the PrometheusRule and one ConfigMap per dashboard exist, owned by the instance, and MonitoringReady is True', async () => {
  await waitFor(
    async () => (await prometheusRules()).length === 1 && (await serviceMonitors()).length === 2,
    'ServiceMonitors and PrometheusRule',
  );
  await op.settle();
  const want = await desired();
  expect(names(await serviceMonitors())).toEqual([`${name}-auth`, `${name}-profile`]);
  expect(names(await prometheusRules())).toEqual([`${name}-alerts`]);
  expect(names(await dashboardConfigMaps())).toEqual(names(want.configMaps));
  expect(want.configMaps.length).toBe(dashboards().length);
  const instance = await getInstance(namespace, name);
  for (const child of [
    ...(await serviceMonitors()),
    ...(await prometheusRules()),
    ...(await dashboardConfigMaps()),
  ]) {
    expect(child.metadata?.ownerReferences).toEqual([
      expect.objectContaining({
        kind: api.kind,
        name,
        uid: instance.metadata.uid,
        controller: true,
      }),
    ]);
  }
  for (const child of [...(await serviceMonitors()), ...(await prometheusRules())]) {
    expect(child.metadata?.labels).toMatchObject({
      release: 'kube-prometheus-stack',
      [api.labels.managedBy]: api.operatorName,
    });
  }
  expect(condition(instance, 'MonitoringReady')).toMatchObject({
    status: 'True',
    reason: 'MonitoringConfigured',
  });
  expect(condition(instance, 'MonitoringReady')?.message).toContain(
    `ServiceMonitor ${name}-auth, ${name}-profile`,
  );
});

test('when the objects are stored, then the CRD schemas kept every field as built (nothing pruned) and a strict server-side dry run finds no unknown field', async () => {
  const want = await desired();
  const stored = [...(await serviceMonitors()), ...(await prometheusRules())] as unknown as {
    metadata: { name: string };
    spec: unknown;
  }[];
  for (const built of [...want.serviceMonitors, want.prometheusRule]) {
    const live = stored.find((o) => o.metadata.name === built.metadata.name);
    expect(live?.spec).toEqual(built.spec);
  }
  const groups = (want.prometheusRule.spec.groups as { rules: unknown[] }[]) ?? [];
  expect(groups.flatMap((g) => g.rules).length).toBeGreaterThan(0);
  const dir = await mkdtemp(join(tmpdir(), 'ums-monitoring-'));
  const file = join(dir, 'objects.json');
  const { prometheusRule, serviceMonitors: monitors, configMaps } = want;
  await writeFile(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [...monitors, prometheusRule, ...configMaps],
    }),
  );
  const out = await kubectl(
    'apply',
    '--server-side',
    '--force-conflicts',
    '--field-manager=ums-test-dry-run',
    '--dry-run=server',
    '--validate=strict',
    '-f',
    file,
  );
  expect(out.trim().split('\n')).toHaveLength(monitors.length + 1 + configMaps.length);
});

test('when a dashboard ConfigMap is read, then it holds the dashboard JSON under its file name with the sidecar label', async () => {
  const [first] = dashboards();
  const live = await admin.core.readNamespacedConfigMap({
    namespace,
    name: (await desired()).configMaps[0]?.metadata?.name ?? '',
  });
  expect(live.metadata?.labels?.grafana_dashboard).toBe('1');
  const json = JSON.parse(live.data?.[first?.fileName ?? ''] ?? 'null') as { panels?: unknown[] };
  expect(json?.panels?.length).toBeGreaterThan(0);
});

test('when nothing changed, then a resync makes zero writes', async () => {
  await op.settle();
  const writes = await op.writes();
  op.operator.controller.resync();
  await op.settle();
  expect(await op.writes()).toBe(writes);
});

test('when someone edits a ServiceMonitor or deletes the PrometheusRule, then the operator restores them', async () => {
  await op.settle();
  const writes = await op.writes();
  const edited = await objects.patch(
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: `${name}-auth`, namespace },
      spec: { endpoints: [{ port: 'http', path: '/elsewhere' }] },
    },
    undefined,
    undefined,
    'someone-else',
    undefined,
    PatchStrategy.MergePatch,
  );
  expect(JSON.stringify(edited)).toContain('/elsewhere');
  await objects.delete({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: `${name}-alerts`, namespace },
  });
  const want = await desired();
  await waitFor(async () => {
    const monitor = (await serviceMonitors()).find((m) => m.metadata?.name === `${name}-auth`);
    expect((monitor as unknown as { spec: unknown })?.spec).toEqual(want.serviceMonitors[0]?.spec);
    return (await prometheusRules()).length === 1;
  }, 'the ServiceMonitor restored and the PrometheusRule recreated');
  // Restored by the operator's two applies, not found unchanged.
  expect(await op.writes()).toBeGreaterThanOrEqual(writes + 2);
});

test('when the operator has run, then no Secret value appears in any monitoring object', async () => {
  const secrets = await admin.core.listNamespacedSecret({ namespace });
  const values = secrets.items
    .flatMap((s) => Object.values(s.data ?? {}))
    .flatMap((b64) => [b64, Buffer.from(b64, 'base64').toString()])
    .filter((v) => v.length >= 8);
  expect(values.length).toBeGreaterThanOrEqual(4);
  const haystack = JSON.stringify([
    ...(await serviceMonitors()),
    ...(await prometheusRules()),
    ...(await dashboardConfigMaps()),
  ]);
  expect(values.filter((v) => haystack.includes(v))).toEqual([]);
});

test('when the toggles are turned off, then what they created is deleted and the settings ConfigMap stays', async () => {
  await patchInstanceSpec(namespace, name, {
    monitoring: { serviceMonitor: false, prometheusRule: false, grafanaDashboards: false },
  });
  await waitFor(
    async () =>
      (await serviceMonitors()).length === 0 &&
      (await prometheusRules()).length === 0 &&
      (await dashboardConfigMaps()).length === 0,
    'monitoring objects deleted',
  );
  await admin.core.readNamespacedConfigMap({ namespace, name: `${name}-config` });
  const instance = await waitFor(async () => {
    const i = await getInstance(namespace, name);
    return condition(i, 'MonitoringReady')?.reason === 'MonitoringDisabled' && i;
  }, 'MonitoringReady to say disabled');
  expect(condition(instance, 'MonitoringReady')?.status).toBe('True');
});

test('when one toggle is turned back on, then only its objects come back', async () => {
  await patchInstanceSpec(namespace, name, { monitoring: { prometheusRule: true } });
  await waitFor(async () => (await prometheusRules()).length === 1, 'PrometheusRule');
  await op.settle();
  expect(await serviceMonitors()).toEqual([]);
  expect(await dashboardConfigMaps()).toEqual([]);
});

// spec.monitoring in a cluster WITHOUT the Prometheus Operator's CRDs, then with them installed
// later. The shared API server has the CRDs (other suites install and use them; uninstalling them
// there would break those suites mid-run), so this file runs its own kube-apiserver: the same
// binary, PKI and etcd, under an etcd prefix of its own, so it has never seen the CRDs (see
// test-support/private-api-server.ts). The operator runs against it exactly as elsewhere, under
// the generated RBAC, with discovery answers kept 1 s instead of 60.
import { jest } from '@jest/globals';
import { KubernetesObjectApi } from '@kubernetes/client-node';
import * as api from '../api/group.ts';
import { dashboards } from '../monitoring/index.ts';
import type * as Cluster from '../test-support/cluster.ts';
import type * as ChildStatus from '../test-support/child-status.ts';
import type * as PrometheusOperator from '../test-support/prometheus-operator.ts';
import { startPrivateApiServer } from '../test-support/private-api-server.ts';
import type { PrivateApiServer } from '../test-support/private-api-server.ts';

jest.setTimeout(90_000);

const name = 'nomon';
let server: PrivateApiServer;
let cluster: typeof Cluster;
let childStatus: typeof ChildStatus;
let prometheusOperator: typeof PrometheusOperator;
let namespace: string;
let op: Cluster.RunningOperator;
const sharedKubeconfig = process.env.KUBECONFIG;

beforeAll(async () => {
  server = await startPrivateApiServer();
  process.env.KUBECONFIG = server.kubeconfig;
  // Bound to $KUBECONFIG when first imported, so imported only now.
  cluster = await import('../test-support/cluster.ts');
  childStatus = await import('../test-support/child-status.ts');
  prometheusOperator = await import('../test-support/prometheus-operator.ts');
  await cluster.installOperatorManifests();
  namespace = await cluster.createNamespace('umi-nomon');
  op = await cluster.startOperator(namespace, { MONITORING_RECHECK_SECONDS: 1 });
  await cluster.createInstance(namespace, name, {
    version: '1.0.0',
    monitoring: { serviceMonitor: true, prometheusRule: true, grafanaDashboards: true },
  });
});

afterAll(async () => {
  await op?.stop();
  if (process.env.DEBUG_OPERATOR_LOGS) console.log(op?.logs.join(''));
  await server?.stop();
  process.env.KUBECONFIG = sharedKubeconfig;
});

const monitoringReady = async () =>
  cluster.condition(await cluster.getInstance(namespace, name), 'MonitoringReady');

async function monitoringObjects(kind: 'ServiceMonitor' | 'PrometheusRule') {
  const objects = KubernetesObjectApi.makeApiClient(cluster.admin.kc);
  const list = await objects.list('monitoring.coreos.com/v1', kind, namespace);
  return list.items.map((o) => o.metadata?.name).sort();
}

test('when the API server does not serve monitoring.coreos.com, then it really does not (the premise)', async () => {
  await expect(cluster.kubectl('get', 'crd', '-o', 'name')).resolves.not.toMatch(
    /monitoring\.coreos\.com/,
  );
  await expect(cluster.kubectl('get', '--raw', '/apis/monitoring.coreos.com/v1')).rejects.toThrow(
    /NotFound|not found/i,
  );
});

test('when the CRDs are absent, then MonitoringReady is False with PrometheusOperatorMissing, a warning Event says so, and the dashboards are created anyway', async () => {
  const ready = await cluster.waitFor(async () => {
    const c = await monitoringReady();
    return c?.reason === 'PrometheusOperatorMissing' && c;
  }, 'MonitoringReady=False PrometheusOperatorMissing');
  expect(ready.status).toBe('False');
  expect(ready.message).toContain("The Prometheus Operator's CRDs are not installed");
  expect(ready.message).toContain('ServiceMonitor and PrometheusRule');
  expect(ready.message).toContain(`${dashboards().length} Grafana dashboard ConfigMap`);
  const configMaps = await cluster.admin.core.listNamespacedConfigMap({
    namespace,
    labelSelector: 'grafana_dashboard=1',
  });
  expect(configMaps.items).toHaveLength(dashboards().length);
  const events = await cluster.waitFor(async () => {
    const list = await cluster.admin.core.listNamespacedEvent({ namespace });
    const found = list.items.filter((e) => e.reason === 'PrometheusOperatorMissing');
    return found.length > 0 && found;
  }, 'a PrometheusOperatorMissing Event');
  expect(events[0]).toMatchObject({ type: 'Warning', involvedObject: { kind: api.kind, name } });
});

test('when the CRDs are absent, then everything else still rolls out: migration, Deployments, and Ready once the pods are', async () => {
  const [job] = await cluster.waitFor(async () => {
    const jobs = await cluster.admin.batch.listNamespacedJob({
      namespace,
      labelSelector: `${api.labels.component}=migration`,
    });
    return jobs.items.length > 0 && jobs.items;
  }, 'the migration Job');
  await childStatus.markJobComplete(namespace, job?.metadata?.name ?? '');
  for (const database of ['postgres', 'mongodb', 'redis']) {
    await childStatus.markStatefulSetReady(namespace, `${name}-${database}`);
  }
  for (const component of ['auth', 'profile', 'web']) {
    await cluster.waitFor(
      () =>
        cluster.admin.apps.readNamespacedDeployment({ namespace, name: `${name}-${component}` }),
      `${component} Deployment`,
    );
    await childStatus.markDeploymentReady(namespace, `${name}-${component}`);
  }
  const instance = await cluster.waitFor(async () => {
    const i = await cluster.getInstance(namespace, name);
    return cluster.condition(i, 'Ready')?.status === 'True' && i;
  }, 'Ready=True');
  expect(cluster.condition(instance, 'Degraded')?.status).toBe('False');
  expect(cluster.condition(instance, 'MonitoringReady')).toMatchObject({
    status: 'False',
    reason: 'PrometheusOperatorMissing',
  });
});

test('when the CRDs are installed later, then the next reconcile creates the ServiceMonitors and the PrometheusRule without anyone touching the instance', async () => {
  const generation = (await cluster.getInstance(namespace, name)).metadata.generation;
  await prometheusOperator.installPrometheusOperatorCrds();
  await cluster.waitFor(
    async () => (await monitoringReady())?.reason === 'MonitoringConfigured',
    'MonitoringReady=True MonitoringConfigured',
  );
  expect(await monitoringObjects('ServiceMonitor')).toEqual([`${name}-auth`, `${name}-profile`]);
  expect(await monitoringObjects('PrometheusRule')).toEqual([`${name}-alerts`]);
  const instance = await cluster.getInstance(namespace, name);
  expect(instance.metadata.generation).toBe(generation);
  expect(cluster.condition(instance, 'MonitoringReady')?.status).toBe('True');
  expect(cluster.condition(instance, 'Ready')?.status).toBe('True');
});

test('when monitoring is configured, then a resync makes zero writes', async () => {
  await op.settle();
  const writes = await op.writes();
  op.operator.controller.resync();
  await op.settle(1500);
  expect(await op.writes()).toBe(writes);
});

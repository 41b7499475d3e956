// A real release of charts/ums-operator in the local kube-apiserver: install, upgrade, uninstall.
// The image is one no node has and is never pulled, and the install starts with no replicas, so
// even on a full cluster with a kubelet this never starts a second operator.
import { jest } from '@jest/globals';
import type { V1Container } from '@kubernetes/client-node';
import * as api from '../api/group.ts';
import { admin, kubectl, uniqueName } from '../test-support/cluster.ts';
import { chartPath, helm, setArgs } from '../test-support/helm.ts';
import { buildClusterRole, buildLeaseRole } from './rbac.ts';

jest.setTimeout(60_000);

const namespace = uniqueName('ums-helm-test');
const release = uniqueName('ums-helm');
const fullname = `${release}-${api.operatorName}`;
const neverStarts = { 'image.repository': 'ums/helm-test-absent', 'image.pullPolicy': 'Never' };

const getJson = async <T>(...args: string[]): Promise<T> =>
  JSON.parse(await kubectl('get', '-o', 'json', ...args)) as T;
const deployment = () => admin.apps.readNamespacedDeployment({ namespace, name: fullname });
const container = async (): Promise<V1Container> => {
  const [first] = (await deployment()).spec?.template.spec?.containers ?? [];
  if (!first) throw new Error(`Deployment ${fullname} has no container`);
  return first;
};
const envValue = (c: V1Container, name: string) => c.env?.find((e) => e.name === name)?.value;

/** The release's objects that still exist, as kind/name. */
async function releaseObjects(): Promise<string[]> {
  const namespaced = await kubectl(
    'get',
    '-n',
    namespace,
    '--ignore-not-found',
    '-o',
    'name',
    `deployment/${fullname}`,
    `serviceaccount/${fullname}`,
    `role/${fullname}-leader-election`,
    `rolebinding/${fullname}-leader-election`,
  );
  const cluster = await kubectl(
    'get',
    '--ignore-not-found',
    '-o',
    'name',
    `clusterrole/${fullname}`,
    `clusterrolebinding/${fullname}`,
  );
  return `${namespaced}${cluster}`.split('\n').filter(Boolean);
}

beforeAll(async () => {
  // Pod Security "restricted" is enforced here, and the chart's pod is dry-run against it below.
  await admin.core.createNamespace({
    body: {
      metadata: {
        name: namespace,
        labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
      },
    },
  });
});

afterAll(async () => {
  await helm('uninstall', release, '-n', namespace, '--ignore-not-found').catch(() => undefined);
  await admin.core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

test('when the chart is installed, then the API server holds its ServiceAccount, RBAC and Deployment, and the CRD', async () => {
  await helm(
    'install',
    release,
    chartPath,
    '-n',
    namespace,
    ...setArgs({ ...neverStarts, replicaCount: 0 }),
  );

  const status = JSON.parse(await helm('status', release, '-n', namespace, '-o', 'json')) as {
    version: number;
    info: { status: string };
  };
  expect(status).toMatchObject({ version: 1, info: { status: 'deployed' } });
  expect((await releaseObjects()).sort()).toEqual(
    [
      `clusterrole.rbac.authorization.k8s.io/${fullname}`,
      `clusterrolebinding.rbac.authorization.k8s.io/${fullname}`,
      `deployment.apps/${fullname}`,
      `role.rbac.authorization.k8s.io/${fullname}-leader-election`,
      `rolebinding.rbac.authorization.k8s.io/${fullname}-leader-election`,
      `serviceaccount/${fullname}`,
    ].sort(),
  );
  const clusterRole = await getJson<{ rules: unknown[] }>('clusterrole', fullname);
  expect(clusterRole.rules).toEqual(buildClusterRole().rules);
  const role = await getJson<{ rules: unknown[] }>(
    '-n',
    namespace,
    'role',
    `${fullname}-leader-election`,
  );
  expect(role.rules).toEqual(buildLeaseRole().rules);
  expect(await getJson('clusterrolebinding', fullname)).toMatchObject({
    subjects: [{ kind: 'ServiceAccount', name: fullname, namespace }],
  });

  const live = await deployment();
  expect(live.spec?.replicas).toBe(0);
  expect((await container()).image).toBe('ums/helm-test-absent:0.1.0');
  // The pod the operator's replicas would be, admitted under Pod Security "restricted".
  await admin.core.createNamespacedPod({
    namespace,
    dryRun: 'All',
    body: { metadata: { name: 'pod-security-check' }, spec: live.spec?.template.spec },
  });
  const crd = await getJson<{ status: { conditions: { type: string; status: string }[] } }>(
    'crd',
    api.crdName,
  );
  expect(crd.status.conditions).toContainEqual(
    expect.objectContaining({ type: 'Established', status: 'True' }),
  );
});

test('when the release is upgraded with new values, then the Deployment in the API server changes', async () => {
  const before = await deployment();
  await helm(
    'upgrade',
    release,
    chartPath,
    '-n',
    namespace,
    '--reuse-values',
    ...setArgs({ logLevel: 'debug', 'image.tag': '0.1.1' }),
  );

  const after = await deployment();
  expect(after.metadata?.generation).toBeGreaterThan(before.metadata?.generation ?? Infinity);
  expect(after.spec?.replicas).toBe(0);
  const c = await container();
  expect(c.image).toBe('ums/helm-test-absent:0.1.1');
  expect(envValue(c, 'LOG_LEVEL')).toBe('debug');
  const history = JSON.parse(await helm('history', release, '-n', namespace, '-o', 'json')) as {
    revision: number;
    status: string;
  }[];
  expect(history.map((h) => [h.revision, h.status])).toEqual([
    [1, 'superseded'],
    [2, 'deployed'],
  ]);
});

test('when the release is uninstalled, then its objects and its release records are gone and the CRD stays', async () => {
  await helm('uninstall', release, '-n', namespace);

  expect(await releaseObjects()).toEqual([]);
  const records = await kubectl(
    'get',
    'secrets',
    '-n',
    namespace,
    '-l',
    `owner=helm,name=${release}`,
    '-o',
    'name',
  );
  expect(records).toBe('');
  // Helm never deletes a CRD (that would delete every instance): it stays for the next install.
  expect(await kubectl('get', 'crd', api.crdName, '-o', 'name')).toContain(api.crdName);
});

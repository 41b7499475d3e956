// The reconciler against a real kube-apiserver + etcd, with the operator running under the
// generated ServiceAccount and RBAC. No controller-manager runs here, so the tests write child
// statuses themselves (see test-support/child-status.ts).
import { jest } from '@jest/globals';
import { KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import * as api from '../api/group.ts';
import { routes } from '../resources/ingress.ts';
import { ownedKinds } from '../runtime/kinds.ts';
import {
  markDeploymentReady,
  markJobComplete,
  markStatefulSetReady,
} from '../test-support/child-status.ts';
import {
  admin,
  condition,
  createInstance,
  createNamespace,
  getInstance,
  installOperatorManifests,
  patchInstanceSpec,
  startOperator,
  waitFor,
} from '../test-support/cluster.ts';
import type { RunningOperator } from '../test-support/cluster.ts';

jest.setTimeout(60_000);

const name = 'dev';
let namespace: string;
let op: RunningOperator;
const objects = KubernetesObjectApi.makeApiClient(admin.kc);

const childKinds = [
  ['v1', 'Secret'],
  ['v1', 'ConfigMap'],
  ['v1', 'Service'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'Deployment'],
  ['batch/v1', 'Job'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
] as const;

async function children(): Promise<KubernetesObject[]> {
  const lists = await Promise.all(
    childKinds.map(async ([apiVersion, kind]) => {
      const list = await objects.list(
        apiVersion,
        kind,
        namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        `${api.labels.instance}=${name}`,
      );
      // List items carry no kind of their own.
      return list.items.map((item) => ({ ...item, kind }));
    }),
  );
  return lists.flat();
}

async function deployment(component: string): Promise<V1Deployment> {
  return admin.apps.readNamespacedDeployment({ namespace, name: `${name}-${component}` });
}

async function migrationJobs(version: string) {
  const jobs = await admin.batch.listNamespacedJob({
    namespace,
    labelSelector: `${api.labels.component}=migration,${api.labels.version}=${version}`,
  });
  return jobs.items;
}

beforeAll(async () => {
  await installOperatorManifests();
  namespace = await createNamespace('umi-reconcile');
  op = await startOperator(namespace);
  await createInstance(namespace, name, { version: '1.0.0' });
});

afterAll(async () => {
  await op?.stop();
  if (process.env.DEBUG_OPERATOR_LOGS) console.log(op?.logs.join(''));
});

test('when an instance is created, then its Secrets, databases, Services, PDBs, NetworkPolicies and migration Job exist, owned by it, and no Deployment runs before the migration', async () => {
  const [job] = await waitFor(
    () => migrationJobs('1.0.0').then((j) => j.length > 0 && j),
    'migration Job',
  );
  await op.settle();
  const instance = await getInstance(namespace, name);
  const all = await children();
  const names = all.map((o) => `${o.kind}/${o.metadata?.name}`).sort();
  expect(names).toEqual(
    expect.arrayContaining([
      `Secret/${name}-postgres-credentials`,
      `Secret/${name}-mongodb-credentials`,
      `Secret/${name}-redis-credentials`,
      `Secret/${name}-token-kek`,
      `ConfigMap/${name}-config`,
      `StatefulSet/${name}-postgres`,
      `StatefulSet/${name}-mongodb`,
      `StatefulSet/${name}-redis`,
      `Service/${name}-postgres`,
      `Service/${name}-auth`,
      `Service/${name}-web`,
      `PodDisruptionBudget/${name}-postgres`,
      `PodDisruptionBudget/${name}-auth`,
      `NetworkPolicy/${name}-app`,
      `NetworkPolicy/${name}-postgres`,
      `Job/${job?.metadata?.name}`,
    ]),
  );
  expect(names.filter((n) => n.startsWith('Deployment/'))).toEqual([]);
  for (const child of all) {
    expect(child.metadata?.ownerReferences).toEqual([
      expect.objectContaining({
        kind: api.kind,
        name,
        uid: instance.metadata.uid,
        controller: true,
      }),
    ]);
  }
  const postgres = await admin.apps.readNamespacedStatefulSet({
    namespace,
    name: `${name}-postgres`,
  });
  expect(postgres.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests).toEqual({
    storage: '10Gi',
  });
  expect(postgres.spec?.template.spec?.containers[0]?.resources).toEqual({
    requests: { cpu: '250m', memory: '512Mi' },
    limits: { cpu: '500m', memory: '1Gi' },
  });
  const headless = await admin.core.readNamespacedService({ namespace, name: `${name}-postgres` });
  expect(headless.spec?.clusterIP).toBe('None');
  expect(condition(instance, 'Progressing')).toMatchObject({
    status: 'True',
    reason: 'MigrationRunning',
  });
  expect(instance.status?.observedGeneration).toBe(instance.metadata.generation);
});

test('when the migration Job completes, then auth, profile and web roll out at that version with probes, seed resources, zero-downtime strategy and a restricted security context', async () => {
  const [job] = await migrationJobs('1.0.0');
  await markJobComplete(namespace, job?.metadata?.name ?? '');
  await waitFor(() => deployment('web').catch(() => undefined), 'web Deployment');
  const auth = await deployment('auth');
  const pod = auth.spec?.template.spec;
  const container = pod?.containers[0];
  expect(container?.image).toBe('ghcr.io/ums-platform/auth:1.0.0');
  expect(container?.resources).toEqual({
    requests: { cpu: '250m', memory: '256Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  });
  expect(container?.readinessProbe?.httpGet?.path).toBe('/ready');
  expect(container?.livenessProbe?.httpGet?.path).toBe('/health');
  expect(container?.lifecycle?.preStop?.sleep?.seconds).toBeGreaterThan(0);
  expect(container?.securityContext).toMatchObject({
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
  });
  expect(pod?.securityContext).toMatchObject({
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  expect(auth.spec?.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
  expect(pod?.topologySpreadConstraints?.map((c) => c.topologyKey)).toEqual([
    'topology.kubernetes.io/zone',
    'kubernetes.io/hostname',
  ]);
  expect((await deployment('web')).spec?.template.spec?.containers[0]?.resources?.limits).toEqual({
    cpu: '200m',
    memory: '256Mi',
  });
  const instance = await getInstance(namespace, name);
  for (const child of await children()) {
    expect(child.metadata?.ownerReferences?.[0]?.uid).toBe(instance.metadata.uid);
  }
});

test('when nothing changed, then a second reconcile makes zero writes and no resourceVersion moves', async () => {
  await op.settle();
  const versions = async () => {
    const objs = [...(await children()), await getInstance(namespace, name)];
    return Object.fromEntries(
      objs.map((o) => [`${o.kind}/${o.metadata?.name}`, o.metadata?.resourceVersion]),
    );
  };
  const before = await versions();
  const writes = await op.writes();
  const reconciles = (await op.operator.metrics.reconcileTotal.get()).values.reduce(
    (s, v) => s + v.value,
    0,
  );
  op.operator.controller.resync();
  await op.settle();
  const after = (await op.operator.metrics.reconcileTotal.get()).values.reduce(
    (s, v) => s + v.value,
    0,
  );
  expect(after).toBeGreaterThan(reconciles);
  expect(await op.writes()).toBe(writes);
  expect(await versions()).toEqual(before);
});

test('when someone edits a child (replicas, image), then the operator restores it', async () => {
  await admin.apps.patchNamespacedDeployment({
    namespace,
    name: `${name}-auth`,
    body: [
      { op: 'replace', path: '/spec/replicas', value: 7 },
      {
        op: 'replace',
        path: '/spec/template/spec/containers/0/image',
        value: 'evil.example/auth:1',
      },
    ],
  });
  await waitFor(async () => {
    const auth = await deployment('auth');
    return (
      auth.spec?.replicas === 2 &&
      auth.spec.template.spec?.containers[0]?.image === 'ghcr.io/ums-platform/auth:1.0.0'
    );
  }, 'auth Deployment to be restored');
});

test('when someone deletes children, then the operator recreates them', async () => {
  const web = await admin.core.readNamespacedService({ namespace, name: `${name}-web` });
  await admin.core.deleteNamespacedService({ namespace, name: `${name}-web` });
  await admin.apps.deleteNamespacedDeployment({ namespace, name: `${name}-profile` });
  await admin.core.deleteNamespacedConfigMap({ namespace, name: `${name}-config` });
  await waitFor(async () => {
    const recreated = await admin.core.readNamespacedService({ namespace, name: `${name}-web` });
    return recreated.metadata?.uid !== web.metadata?.uid;
  }, 'web Service to be recreated');
  await waitFor(() => deployment('profile'), 'profile Deployment to be recreated');
  await waitFor(
    () => admin.core.readNamespacedConfigMap({ namespace, name: `${name}-config` }),
    'ConfigMap',
  );
});

test('when the version changes, then its migration Job runs first and the Deployments roll only after it completes', async () => {
  await patchInstanceSpec(namespace, name, { version: '1.1.0' });
  const [job] = await waitFor(
    () => migrationJobs('1.1.0').then((j) => j.length > 0 && j),
    'new migration Job',
  );
  await op.settle();
  for (const component of ['auth', 'profile', 'web']) {
    expect((await deployment(component)).spec?.template.spec?.containers[0]?.image).toMatch(
      /:1\.0\.0$/,
    );
  }
  expect(condition(await getInstance(namespace, name), 'Progressing')).toMatchObject({
    status: 'True',
    reason: 'MigrationRunning',
  });
  await markJobComplete(namespace, job?.metadata?.name ?? '');
  await waitFor(async () => {
    const images = await Promise.all(
      ['auth', 'profile', 'web'].map(
        async (c) => (await deployment(c)).spec?.template.spec?.containers[0]?.image,
      ),
    );
    return images.every((image) => image?.endsWith(':1.1.0'));
  }, 'Deployments at 1.1.0');
  const events = await admin.core.listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.name=${name}`,
  });
  expect(events.items.map((e) => e.reason)).toEqual(
    expect.arrayContaining(['MigrationStarted', 'RolloutStarted']),
  );
});

test('when every child reports ready, then Ready is True; when auth stops being ready, then Ready turns False and unchanged conditions keep their lastTransitionTime', async () => {
  await op.settle();
  for (const db of ['postgres', 'mongodb', 'redis'])
    await markStatefulSetReady(namespace, `${name}-${db}`);
  for (const c of ['auth', 'profile', 'web']) await markDeploymentReady(namespace, `${name}-${c}`);
  const ready = await waitFor(async () => {
    const instance = await getInstance(namespace, name);
    return condition(instance, 'Ready')?.status === 'True' && instance;
  }, 'Ready=True');
  expect(condition(ready, 'PostgresReady')).toMatchObject({
    status: 'True',
    reason: 'StatefulSetReady',
  });
  expect(condition(ready, 'Progressing')).toMatchObject({
    status: 'False',
    reason: 'RolloutComplete',
  });
  expect(condition(ready, 'Degraded')).toMatchObject({ status: 'False' });
  expect(ready.status?.version).toBe('1.1.0');
  expect(ready.status?.components?.auth).toEqual({
    image: 'ghcr.io/ums-platform/auth:1.1.0',
    desiredReplicas: 2,
    readyReplicas: 2,
    updatedReplicas: 2,
  });
  await admin.apps.patchNamespacedDeploymentStatus({
    namespace,
    name: `${name}-auth`,
    body: [
      { op: 'replace', path: '/status/readyReplicas', value: 0 },
      { op: 'replace', path: '/status/availableReplicas', value: 0 },
    ],
  });
  const notReady = await waitFor(async () => {
    const instance = await getInstance(namespace, name);
    return condition(instance, 'Ready')?.status === 'False' && instance;
  }, 'Ready=False');
  expect(condition(notReady, 'Ready')?.message).toContain('auth (0/2 ready)');
  for (const type of ['Degraded', 'PostgresReady', 'MongoDBReady']) {
    expect(condition(notReady, type)?.lastTransitionTime).toBe(
      condition(ready, type)?.lastTransitionTime,
    );
  }
});

test('when autoscaling and a TLS ingress are enabled, then an autoscaling/v2 HPA replaces the fixed replica count and the Ingress routes the API prefixes', async () => {
  await patchInstanceSpec(namespace, name, {
    components: { auth: { autoscaling: { enabled: true } } },
    ingress: {
      enabled: true,
      host: 'users.example.com',
      className: 'nginx',
      tls: { secretName: 'users-tls' },
    },
  });
  const hpa = await waitFor(
    () => op.operator.controller.caches.list(ownedKinds.HorizontalPodAutoscaler, namespace)[0],
    'HorizontalPodAutoscaler',
  );
  expect(hpa).toMatchObject({
    spec: {
      minReplicas: 3,
      maxReplicas: 15,
      scaleTargetRef: { kind: 'Deployment', name: `${name}-auth` },
      metrics: [
        { resource: { name: 'cpu', target: { averageUtilization: 65 } } },
        { resource: { name: 'memory', target: { averageUtilization: 80 } } },
      ],
    },
  });
  await waitFor(async () => {
    const auth = await deployment('auth');
    const mine = auth.metadata?.managedFields?.find((f) => f.manager === api.fieldManager);
    return mine && !JSON.stringify(mine.fieldsV1).includes('"f:replicas"');
  }, 'the operator to stop owning the auth replica count');
  const ingress = await waitFor(
    () => op.operator.controller.caches.list(ownedKinds.Ingress, namespace)[0],
    'Ingress',
  );
  const paths = (
    ingress as {
      spec: {
        rules: { http: { paths: { path: string; backend: { service: { name: string } } }[] } }[];
      };
    }
  ).spec.rules[0]?.http.paths;
  const routing = Object.fromEntries(paths?.map((p) => [p.path, p.backend.service.name]) ?? []);
  for (const { component, prefixes } of routes) {
    for (const prefix of prefixes) expect(routing[prefix]).toBe(`${name}-${component}`);
  }
  await waitFor(
    async () =>
      (await getInstance(namespace, name)).status?.endpoint === 'https://users.example.com',
    'https endpoint',
  );
});

test('when an instance is deleted and made again under the same name, then its Secrets are generated again for the new one', async () => {
  const again = 'again';
  await createInstance(namespace, again, { version: '1.0.0' });
  const secretName = `${again}-token-kek`;
  const first = await waitFor(
    () => admin.core.readNamespacedSecret({ namespace, name: secretName }),
    'the first Secret',
  );
  const old = await getInstance(namespace, again);
  await objects.delete({
    apiVersion: old.apiVersion,
    kind: old.kind,
    metadata: { name: again, namespace },
  });
  await waitFor(
    () =>
      getInstance(namespace, again).then(
        () => false,
        () => true,
      ),
    'the instance to be gone',
  );
  // What the garbage collector does in a full cluster (this API-server-only one has none).
  for (const suffix of [
    'token-kek',
    'postgres-credentials',
    'mongodb-credentials',
    'redis-credentials',
  ]) {
    await admin.core.deleteNamespacedSecret({ namespace, name: `${again}-${suffix}` });
  }
  await createInstance(namespace, again, { version: '1.0.0' });
  const renewed = await getInstance(namespace, again);
  const second = await waitFor(
    () => admin.core.readNamespacedSecret({ namespace, name: secretName }),
    'the Secret of the new instance',
  );
  expect(second.metadata?.uid).not.toBe(first.metadata?.uid);
  expect(second.metadata?.ownerReferences?.[0]?.uid).toBe(renewed.metadata.uid);
});

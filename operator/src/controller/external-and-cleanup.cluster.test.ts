// External databases, the clean-up finalizer, and secrecy: no Secret value may appear in the
// status, in Events or in the operator's logs.
import { jest } from '@jest/globals';
import * as api from '../api/group.ts';
import {
  admin,
  condition,
  createInstance,
  createNamespace,
  deleteInstance,
  getInstance,
  installOperatorManifests,
  startOperator,
  waitFor,
} from '../test-support/cluster.ts';
import type { RunningOperator } from '../test-support/cluster.ts';

jest.setTimeout(60_000);

let namespace: string;
let op: RunningOperator;
const sentinel = 'Sentinel-Password-For-Leak-Checks-7f3a9c';

const externalSpec = {
  version: '2.0.0',
  databases: {
    postgres: {
      external: {
        host: 'ums.cluster-abc.eu-west-1.rds.amazonaws.com',
        credentialsSecret: { name: 'rds' },
      },
    },
    mongodb: {
      external: {
        host: 'ums.docdb.eu-west-1.amazonaws.com',
        replicaSet: 'rs0',
        credentialsSecret: { name: 'docdb' },
      },
    },
    redis: {
      external: { host: 'ums.cache.amazonaws.com', credentialsSecret: { name: 'elasticache' } },
    },
  },
  security: { mfa: { requiredForAdmins: true } },
};

beforeAll(async () => {
  await installOperatorManifests();
  namespace = await createNamespace('umi-external');
  op = await startOperator(namespace);
});

afterAll(async () => {
  await op?.stop();
});

test('when an external database Secret is missing, then no StatefulSet or Deployment is created and the status names the missing Secret', async () => {
  await createInstance(namespace, 'prod', externalSpec);
  const instance = await waitFor(async () => {
    const found = await getInstance(namespace, 'prod');
    return condition(found, 'Degraded')?.status === 'True' && found;
  }, 'Degraded=True');
  expect(condition(instance, 'Degraded')).toMatchObject({ reason: 'SecretNotFound' });
  expect(condition(instance, 'PostgresReady')).toMatchObject({
    status: 'False',
    reason: 'SecretNotFound',
  });
  expect(condition(instance, 'PostgresReady')?.message).toContain(
    'Secret "rds" (PostgreSQL credentials) not found',
  );
  expect(condition(instance, 'Progressing')).toMatchObject({ status: 'False', reason: 'Blocked' });
  await op.settle();
  const statefulSets = await admin.apps.listNamespacedStatefulSet({ namespace });
  const deployments = await admin.apps.listNamespacedDeployment({ namespace });
  const jobs = await admin.batch.listNamespacedJob({ namespace });
  expect([...statefulSets.items, ...deployments.items, ...jobs.items]).toEqual([]);
  const secrets = await admin.core.listNamespacedSecret({ namespace });
  expect(secrets.items.map((s) => s.metadata?.name)).toEqual(['prod-token-kek']);
});

test('when the external Secrets appear, then the databases report configured, the migration Job connects to the external hosts and still no StatefulSet exists', async () => {
  const secret = (name: string, data: Record<string, string>) =>
    admin.core.createNamespacedSecret({
      namespace,
      body: { metadata: { name }, stringData: data },
    });
  await secret('rds', { username: 'ums', password: sentinel });
  await secret('docdb', { username: 'ums', password: sentinel });
  await secret('elasticache', { password: sentinel });
  // Referenced Secrets are not watched (the operator may not list Secrets); a resync or the
  // operator's own retry picks them up.
  op.operator.controller.resync();
  const instance = await waitFor(async () => {
    const found = await getInstance(namespace, 'prod');
    return condition(found, 'PostgresReady')?.status === 'True' && found;
  }, 'PostgresReady=True');
  for (const type of ['MongoDBReady', 'RedisReady']) {
    expect(condition(instance, type)).toMatchObject({
      status: 'True',
      reason: 'ExternalConfigured',
    });
  }
  const jobs = await waitFor(
    () => admin.batch.listNamespacedJob({ namespace }).then((l) => l.items.length > 0 && l.items),
    'migration Job',
  );
  const pod = jobs[0]?.spec?.template.spec;
  const auth = pod?.initContainers?.[0]?.env ?? [];
  expect(auth.find((e) => e.name === 'DATABASE_URL')?.value).toBe(
    'postgres://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@ums.cluster-abc.eu-west-1.rds.amazonaws.com:5432/ums?sslmode=require',
  );
  expect(auth.find((e) => e.name === 'POSTGRES_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({
    name: 'rds',
    key: 'password',
  });
  const profile = pod?.containers[0]?.env ?? [];
  expect(profile.find((e) => e.name === 'MONGODB_URI')?.value).toContain('replicaSet=rs0');
  expect((await admin.apps.listNamespacedStatefulSet({ namespace })).items).toEqual([]);
});

test('when the operator has run, then no Secret value appears in the status, in Events or in its logs', async () => {
  // A managed instance too, so generated credentials are part of the check.
  await createInstance(namespace, 'dev', { version: '1.0.0' });
  await waitFor(
    async () => condition(await getInstance(namespace, 'dev'), 'Progressing'),
    'dev status',
  );
  await op.settle();
  const secrets = await admin.core.listNamespacedSecret({ namespace });
  // User names are not secrets; passwords and keys are.
  const values = secrets.items.flatMap((s) =>
    Object.entries(s.data ?? {})
      .filter(([key]) => key !== 'username')
      .map(([, b64]) => Buffer.from(b64, 'base64').toString()),
  );
  expect(values).toContain(sentinel);
  expect(values.length).toBeGreaterThanOrEqual(7);
  const statuses = await Promise.all(
    ['prod', 'dev'].map((n) => getInstance(namespace, n).then((i) => i.status)),
  );
  const events = await admin.core.listNamespacedEvent({ namespace });
  const haystack = [JSON.stringify(statuses), JSON.stringify(events.items), op.logs.join('')].join(
    '\n',
  );
  expect(events.items.length).toBeGreaterThan(0);
  expect(op.logs.length).toBeGreaterThan(0);
  for (const value of values) {
    expect(haystack.includes(value) ? value : undefined).toBeUndefined();
    expect(
      haystack.includes(Buffer.from(value).toString('base64')) ? value : undefined,
    ).toBeUndefined();
  }
});

test('when an instance whose database volumes should be deleted is deleted, then the finalizer deletes the volume claims and the instance goes', async () => {
  await createInstance(namespace, 'tmp', {
    version: '1.0.0',
    databases: { postgres: { managed: { storage: { reclaimPolicy: 'Delete' } } } },
  });
  await waitFor(
    async () =>
      (await getInstance(namespace, 'tmp')).metadata.finalizers?.includes(api.cleanupFinalizer),
    'finalizer',
  );
  // The claim the StatefulSet controller would create from the volume claim template.
  const template = await waitFor(
    () =>
      admin.apps
        .readNamespacedStatefulSet({ namespace, name: 'tmp-postgres' })
        .then((s) => s.spec?.volumeClaimTemplates?.[0]),
    'postgres StatefulSet',
  );
  await admin.core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name: 'data-tmp-postgres-0', labels: template.metadata?.labels },
      spec: template.spec,
    },
  });
  await admin.core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name: 'unrelated' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
  });
  await deleteInstance(namespace, 'tmp');
  await waitFor(
    () =>
      getInstance(namespace, 'tmp').then(
        () => false,
        (err: { code?: number }) => err.code === 404,
      ),
    'instance to go',
  );
  // No controller-manager removes the pvc-protection finalizer here, so "deleted" means marked.
  const claim = await admin.core
    .readNamespacedPersistentVolumeClaim({ namespace, name: 'data-tmp-postgres-0' })
    .catch(() => undefined);
  expect(claim === undefined || claim.metadata?.deletionTimestamp !== undefined).toBe(true);
  const unrelated = await admin.core.readNamespacedPersistentVolumeClaim({
    namespace,
    name: 'unrelated',
  });
  expect(unrelated.metadata?.deletionTimestamp).toBeUndefined();
  expect((await getInstance(namespace, 'dev')).metadata.finalizers ?? []).toEqual([]);
});

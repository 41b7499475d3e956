import { externalDatabases, instanceRef } from '../test-support/instance.ts';
import { buildDatabaseStatefulSet } from './database-stateful-set.ts';
import { buildPodDisruptionBudget } from './pod-disruption-budget.ts';
import { buildDatabaseService } from './service.ts';

test('when a database is managed, then it is one replica with a claim template sized from the seed table', () => {
  const ref = instanceRef();
  const sizes = { postgres: '10Gi', mongodb: '20Gi', redis: '1Gi' };
  for (const [database, size] of Object.entries(sizes) as [
    'postgres' | 'mongodb' | 'redis',
    string,
  ][]) {
    const sts = buildDatabaseStatefulSet(ref, database);
    expect(sts?.spec?.replicas).toBe(1);
    expect(sts?.spec?.serviceName).toBe(`demo-${database}`);
    expect(sts?.spec?.volumeClaimTemplates?.[0]?.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: size } },
    });
  }
  const postgres = buildDatabaseStatefulSet(ref, 'postgres')?.spec?.template.spec;
  expect(postgres?.containers[0]?.resources).toEqual({
    requests: { cpu: '250m', memory: '512Mi' },
    limits: { cpu: '500m', memory: '1Gi' },
  });
  expect(postgres?.securityContext).toMatchObject({
    runAsNonRoot: true,
    runAsUser: 70,
    fsGroup: 70,
  });
  expect(postgres?.containers[0]?.securityContext?.readOnlyRootFilesystem).toBe(true);
});

test('when a database is managed, then its password comes from the generated Secret', () => {
  const env = buildDatabaseStatefulSet(instanceRef(), 'redis')?.spec?.template.spec?.containers[0]
    ?.env;
  expect(env?.find((e) => e.name === 'REDIS_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({
    name: 'demo-redis-credentials',
    key: 'password',
  });
});

test('when a database is external, then no StatefulSet is built for it', () => {
  const ref = instanceRef({ databases: externalDatabases });
  expect(buildDatabaseStatefulSet(ref, 'postgres')).toBeUndefined();
});

test('when a database is managed, then its Service is headless and its PDB forbids voluntary eviction', () => {
  const ref = instanceRef();
  expect(buildDatabaseService(ref, 'mongodb', 27017).spec).toMatchObject({
    clusterIP: 'None',
    ports: [{ port: 27017, targetPort: 'mongodb' }],
  });
  expect(buildPodDisruptionBudget(ref, 'mongodb').spec).toMatchObject({ minAvailable: 1 });
  expect(buildPodDisruptionBudget(ref, 'web').spec).toMatchObject({ maxUnavailable: 1 });
});

test('when the MongoDB-wire server has no shell, then its probes still work: a TCP check on its port', () => {
  const container = buildDatabaseStatefulSet(instanceRef(), 'mongodb')?.spec?.template.spec
    ?.containers[0];
  for (const probe of [
    container?.startupProbe,
    container?.readinessProbe,
    container?.livenessProbe,
  ]) {
    expect(probe?.tcpSocket).toEqual({ port: 'mongodb' });
    expect(probe?.exec).toBeUndefined();
  }
  expect(container?.ports?.[0]).toMatchObject({ name: 'mongodb', containerPort: 27017 });
  const postgres = buildDatabaseStatefulSet(instanceRef(), 'postgres')?.spec?.template.spec
    ?.containers[0];
  expect(postgres?.readinessProbe?.exec?.command?.join(' ')).toContain('pg_isready');
});

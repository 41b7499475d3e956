import type { V1Deployment } from '@kubernetes/client-node';
import * as api from '../api/group.ts';
import type { UserManagementInstance } from '../api/types.ts';
import { instanceRef } from '../test-support/instance.ts';
import { emptyObservations } from './context.ts';
import type { Observations } from './context.ts';
import { computeStatus } from './status.ts';

const ref = instanceRef();
const now = new Date('2026-02-01T10:00:00Z');
const instance: UserManagementInstance = {
  apiVersion: api.apiVersion,
  kind: api.kind,
  metadata: { name: ref.name, namespace: ref.namespace, uid: ref.uid, generation: 4 },
  spec: ref.spec,
};

function deployment(version: string, ready: number, updated = ready, replicas = 2): V1Deployment {
  return {
    metadata: { generation: 2 },
    spec: {
      replicas,
      selector: {},
      template: {
        metadata: { labels: { [api.labels.version]: version } },
        spec: { containers: [{ name: 'c', image: `img:${version}` }] },
      },
    },
    status: {
      observedGeneration: 2,
      replicas: 2,
      readyReplicas: ready,
      availableReplicas: ready,
      updatedReplicas: updated,
    },
  };
}

function observations(patch: Partial<Observations> = {}): Observations {
  const ready = { ready: true, reason: 'StatefulSetReady', message: 'ok' };
  return {
    ...emptyObservations(),
    databases: { postgres: ready, mongodb: ready, redis: ready },
    ...patch,
  };
}

const all = (version: string, ready = 2) => ({
  auth: deployment(version, ready),
  profile: deployment(version, ready),
  web: deployment(version, ready),
});

const byType = (status: ReturnType<typeof computeStatus>) =>
  Object.fromEntries((status.conditions ?? []).map((c) => [c.type, c]));

test('when every database and component is ready at the target version, then Ready is True and Progressing False', () => {
  const status = computeStatus({
    instance,
    ref,
    obs: observations(),
    deployments: all('1.4.0'),
    now,
  });
  const c = byType(status);
  expect(c.Ready).toMatchObject({
    status: 'True',
    reason: 'AllComponentsReady',
    observedGeneration: 4,
  });
  expect(c.Progressing).toMatchObject({ status: 'False', reason: 'RolloutComplete' });
  expect(c.Degraded).toMatchObject({ status: 'False' });
  expect(status).toMatchObject({
    observedGeneration: 4,
    version: '1.4.0',
    endpoint: 'http://demo-web.team-a.svc',
  });
  expect(status.components?.web).toEqual({
    image: 'img:1.4.0',
    desiredReplicas: 2,
    readyReplicas: 2,
    updatedReplicas: 2,
  });
});

test('when one pod of several is being replaced, then the instance stays Ready; when a single pod or two of three are away, it is not', () => {
  const readyWith = (auth: V1Deployment) =>
    byType(
      computeStatus({
        instance,
        ref,
        obs: observations(),
        deployments: { ...all('1.4.0'), auth },
        now,
      }),
    ).Ready;
  expect(readyWith(deployment('1.4.0', 2, 3, 3))).toMatchObject({ status: 'True' });
  expect(readyWith(deployment('1.4.0', 1, 3, 3))).toMatchObject({
    status: 'False',
    reason: 'ComponentsNotReady',
  });
  expect(readyWith(deployment('1.4.0', 1, 3, 3))?.message).toContain('auth (1/3 ready)');
  expect(readyWith(deployment('1.4.0', 0, 1, 1))).toMatchObject({ status: 'False' });
  expect(readyWith(deployment('1.4.0', 1, 1, 1))).toMatchObject({ status: 'True' });
});

test('when a database is not ready, then Ready is False with the database named and its own condition False', () => {
  const obs = observations();
  obs.databases.mongodb = {
    ready: false,
    reason: 'StatefulSetNotReady',
    message: 'StatefulSet demo-mongodb: 0/1 ready',
  };
  const c = byType(computeStatus({ instance, ref, obs, deployments: all('1.4.0'), now }));
  expect(c.Ready).toMatchObject({ status: 'False', reason: 'DatabasesNotReady' });
  expect(c.Ready?.message).toContain('MongoDB (StatefulSet demo-mongodb: 0/1 ready)');
  expect(c.MongoDBReady).toMatchObject({ status: 'False', reason: 'StatefulSetNotReady' });
  expect(c.PostgresReady).toMatchObject({ status: 'True' });
});

test('when the migration for a new version runs, then Progressing says so and Ready still reflects the old version serving', () => {
  const obs = observations({
    migration: { state: 'running', version: '1.4.0', job: 'demo-migrate-x' },
  });
  const status = computeStatus({
    instance: { ...instance, status: { version: '1.3.0' } },
    ref,
    obs,
    deployments: all('1.3.0'),
    now,
  });
  const c = byType(status);
  expect(c.Progressing).toMatchObject({ status: 'True', reason: 'MigrationRunning' });
  expect(c.Ready).toMatchObject({ status: 'True' });
  expect(status.version).toBe('1.3.0');
});

test('when the migration failed, then Degraded is True with MigrationFailed and Progressing stops', () => {
  const obs = observations({
    migration: { state: 'failed', version: '1.4.0', job: 'demo-migrate-x' },
  });
  const c = byType(computeStatus({ instance, ref, obs, deployments: all('1.3.0'), now }));
  expect(c.Degraded).toMatchObject({ status: 'True', reason: 'MigrationFailed' });
  expect(c.Progressing).toMatchObject({ status: 'False', reason: 'MigrationFailed' });
});

test('when a Deployment is half rolled out, then Progressing is True and the rolled-out version stays the old one', () => {
  const deployments = { ...all('1.4.0'), auth: deployment('1.4.0', 2, 1) };
  const status = computeStatus({
    instance: { ...instance, status: { version: '1.3.0' } },
    ref,
    obs: observations(),
    deployments,
    now,
  });
  expect(byType(status).Progressing).toMatchObject({ status: 'True', reason: 'RollingOut' });
  expect(byType(status).Progressing?.message).toContain('waiting for auth');
  expect(status.version).toBe('1.3.0');
});

test('when a reconcile step failed, then Degraded carries its reason and message', () => {
  const obs = observations({
    error: { reason: 'ApplyFailed', message: 'while applying auth Deployment: forbidden' },
  });
  const c = byType(computeStatus({ instance, ref, obs, deployments: all('1.4.0'), now }));
  expect(c.Degraded).toMatchObject({
    status: 'True',
    reason: 'ApplyFailed',
    message: 'while applying auth Deployment: forbidden',
  });
  expect(c.Progressing).toMatchObject({ status: 'False', reason: 'Blocked' });
});

test('when the same observations are computed twice, then the status is identical (so nothing is written)', () => {
  const first = computeStatus({
    instance,
    ref,
    obs: observations(),
    deployments: all('1.4.0'),
    now,
  });
  const second = computeStatus({
    instance: { ...instance, status: first },
    ref,
    obs: observations(),
    deployments: all('1.4.0'),
    now: new Date('2026-02-02T00:00:00Z'),
  });
  expect(second).toEqual(first);
});

test('when the Prometheus Operator is missing, then MonitoringReady is False with its reason while Ready stays True', () => {
  const obs = observations({
    monitoring: {
      ready: false,
      recheck: true,
      reason: 'PrometheusOperatorMissing',
      message: 'The Prometheus Operator’s CRDs are not installed',
    },
  });
  const c = byType(computeStatus({ instance, ref, obs, deployments: all('1.4.0'), now }));
  expect(c.MonitoringReady).toMatchObject({
    status: 'False',
    reason: 'PrometheusOperatorMissing',
    observedGeneration: 4,
  });
  expect(c.Ready).toMatchObject({ status: 'True', reason: 'AllComponentsReady' });
  expect(c.Degraded).toMatchObject({ status: 'False' });
});

test('when a reconcile stopped before the monitoring step, then MonitoringReady keeps what the last one found, and is Unknown on a new instance', () => {
  const configured = {
    ready: true,
    recheck: false,
    reason: 'MonitoringConfigured',
    message: 'Created ServiceMonitor demo-auth, demo-profile',
  };
  const first = computeStatus({
    instance,
    ref,
    obs: observations({ monitoring: configured }),
    deployments: all('1.4.0'),
    now,
  });
  const blocked = observations({ missingSecrets: ['Secret "rds" not found'] });
  const later = computeStatus({
    instance: { ...instance, status: first },
    ref,
    obs: blocked,
    deployments: all('1.4.0'),
    now: new Date('2026-02-02T00:00:00Z'),
  });
  expect(byType(later).MonitoringReady).toEqual(byType(first).MonitoringReady);
  const fresh = byType(computeStatus({ instance, ref, obs: blocked, deployments: {}, now }));
  expect(fresh.MonitoringReady).toMatchObject({ status: 'Unknown', reason: 'NotChecked' });
});

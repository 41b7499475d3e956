// ums_operator_instance_ready on the operator's real /metrics, against a real kube-apiserver: the
// gauge follows the instance's Ready condition and its series goes when the instance does.
import { jest } from '@jest/globals';
import * as api from '../api/group.ts';
import {
  markDeploymentReady,
  markJobComplete,
  markStatefulSetReady,
} from '../test-support/child-status.ts';
import {
  admin,
  createInstance,
  createNamespace,
  deleteInstance,
  installOperatorManifests,
  startOperator,
  waitFor,
} from '../test-support/cluster.ts';
import type { RunningOperator } from '../test-support/cluster.ts';

jest.setTimeout(90_000);

const name = 'ready-metric';
let namespace: string;
let op: RunningOperator;

/** The instance's gauge value from a scrape of the operator's HTTP server (undefined: no series). */
async function readyValue(): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${op.operator.port()}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('ums_operator_instance_ready{') &&
        l.includes(`instance_namespace="${namespace}"`) &&
        l.includes(`instance_name="${name}"`),
    );
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

beforeAll(async () => {
  await installOperatorManifests();
  namespace = await createNamespace('umi-ready-metric');
  op = await startOperator(namespace);
});

afterAll(async () => {
  await op?.stop();
});

test('when an instance is reconciled but not ready, then its gauge is 0; when every child is ready, then 1; when it is deleted, then its series is gone', async () => {
  await createInstance(namespace, name, { version: '1.0.0' });
  await waitFor(async () => (await readyValue()) === 0, 'ums_operator_instance_ready 0');

  const job = await waitFor(async () => {
    const jobs = await admin.batch.listNamespacedJob({
      namespace,
      labelSelector: `${api.labels.component}=migration`,
    });
    return jobs.items[0];
  }, 'migration Job');
  await markJobComplete(namespace, job.metadata?.name ?? '');
  await waitFor(
    () =>
      admin.apps
        .readNamespacedDeployment({ namespace, name: `${name}-web` })
        .catch(() => undefined),
    'web Deployment',
  );
  await op.settle();
  for (const db of ['postgres', 'mongodb', 'redis'])
    await markStatefulSetReady(namespace, `${name}-${db}`);
  for (const c of ['auth', 'profile', 'web']) await markDeploymentReady(namespace, `${name}-${c}`);
  await waitFor(async () => (await readyValue()) === 1, 'ums_operator_instance_ready 1');

  await deleteInstance(namespace, name);
  await waitFor(async () => (await readyValue()) === undefined, 'the series to be removed');
});

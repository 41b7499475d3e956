// Benchmark: a full reconcile of many instances from a cold start, against a raw server-side
// apply loop of the same objects (goal: ≥ 0.8 of its rate); then a resync at steady state (goal:
// zero writes); and the operator's resident memory with that many instances.
// Run: node operator/bench/resync.ts   (INSTANCES=500 by default; CONCURRENCY=4)
import { randomBytes } from 'node:crypto';
import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import * as api from '../src/api/group.ts';
import { instanceSpecSchema } from '../src/api/instance-schema.ts';
import type { InstanceRef } from '../src/api/types.ts';
import { buildConfigMap } from '../src/resources/config-map.ts';
import { buildDatabaseStatefulSet } from '../src/resources/database-stateful-set.ts';
import { buildDeployment } from '../src/resources/deployment.ts';
import { buildMigrationJob } from '../src/resources/migration-job.ts';
import { buildNetworkPolicies } from '../src/resources/network-policy.ts';
import { buildPodDisruptionBudget } from '../src/resources/pod-disruption-budget.ts';
import { buildGeneratedSecret, generatedSecretSpecs } from '../src/resources/secret.ts';
import { buildAppService, buildDatabaseService } from '../src/resources/service.ts';
import { markJobComplete } from '../src/test-support/child-status.ts';
import {
  admin,
  createInstance,
  createNamespace,
  getInstance,
  installOperatorManifests,
  waitFor,
} from '../src/test-support/cluster.ts';
import { cleanUp, pool, settled, startOperatorProcess, writeResult } from './bench-support.ts';

const instances = Number(process.env.INSTANCES ?? 500);
const concurrency = Number(process.env.CONCURRENCY ?? 4);
const objects = KubernetesObjectApi.makeApiClient(admin.kc);
const random = (bytes: number) => randomBytes(bytes).toString('base64url');

/** Every child the operator's first full pass writes for one instance (Job excluded). */
function children(ref: InstanceRef): KubernetesObject[] {
  const version = ref.spec.version;
  return [
    ...generatedSecretSpecs(ref).map((spec) => buildGeneratedSecret(ref, spec, random)),
    buildConfigMap(ref),
    ...(['postgres', 'mongodb', 'redis'] as const).flatMap((db) => [
      buildDatabaseStatefulSet(ref, db) as KubernetesObject,
      buildDatabaseService(ref, db, { postgres: 5432, mongodb: 27017, redis: 6379 }[db]),
      buildPodDisruptionBudget(ref, db),
    ]),
    ...(['auth', 'profile', 'web'] as const).flatMap((c) => [
      buildDeployment(ref, c, version),
      buildAppService(ref, c),
      buildPodDisruptionBudget(ref, c),
    ]),
    ...buildNetworkPolicies(ref),
  ];
}

async function rawApplyLoop(namespace: string): Promise<{ objects: number; seconds: number }> {
  const work = Array.from({ length: instances }, (_, i) => {
    const ref = {
      name: `r${i}`,
      namespace,
      uid: crypto.randomUUID(),
      spec: instanceSpecSchema.parse({ version: '1.0.0' }),
    };
    return children(ref);
  }).flat();
  const start = performance.now();
  await pool(work, concurrency, (obj) =>
    objects.patch(obj, undefined, undefined, api.fieldManager, true, PatchStrategy.ServerSideApply),
  );
  return { objects: work.length, seconds: (performance.now() - start) / 1000 };
}

async function prepareInstances(namespace: string): Promise<void> {
  await pool(
    Array.from({ length: instances }, (_, i) => `o${i}`),
    8,
    async (name) => {
      await createInstance(namespace, name, { version: '1.0.0' });
      // Completed migration Jobs, made before the operator starts, so its first pass writes the same
      // objects as the raw loop (the Job controller's part is played here, as in the tests).
      const instance = await getInstance(namespace, name);
      const ref = {
        name,
        namespace,
        uid: instance.metadata.uid,
        spec: instanceSpecSchema.parse(instance.spec),
      };
      const job = buildMigrationJob(ref, '1.0.0');
      await objects.patch(job, undefined, undefined, 'bench', true, PatchStrategy.ServerSideApply);
      await markJobComplete(namespace, job.metadata?.name ?? '');
    },
  );
}

await installOperatorManifests();
const rawNamespace = await createNamespace('umi-bench-raw');
// SKIP_RAW=1 measures only the operator (say, to try heap limits); the ratio is then omitted.
const raw = process.env.SKIP_RAW ? { objects: 0, seconds: 0 } : await rawApplyLoop(rawNamespace);
const namespace = await createNamespace('umi-bench-operator');
await prepareInstances(namespace);
const resyncSeconds = 20;
const op = await startOperatorProcess(namespace, 18092, { RESYNC_SECONDS: String(resyncSeconds) });
const start = performance.now();
const coldSeconds = ((await settled(op, instances)) - start) / 1000;
// Child objects only (applies and generated Secrets), as in the raw loop; not status or Events.
const childWrites =
  (await op.metric('ums_operator_api_writes_total', 'verb="apply"')) +
  (await op.metric('ums_operator_api_writes_total', 'kind="Secret"'));
const writesBefore = await op.metric('ums_operator_api_writes_total');
const reconcilesBefore = await op.metric('ums_operator_reconcile_total');
// The periodic resync queues every instance again; at steady state it must write nothing.
await waitFor(
  async () => (await op.metric('ums_operator_reconcile_total')) >= reconcilesBefore + instances,
  'a full resync',
  (resyncSeconds + 120) * 1000,
);
await settled(op, 0);
const steadyWrites = (await op.metric('ums_operator_api_writes_total')) - writesBefore;
const rss = await op.rssMiB();
await op.stop();
const operatorRate = childWrites / coldSeconds;
const rawRate = raw.objects / raw.seconds;
await writeResult('resync', {
  instances,
  concurrency,
  rawApply: { objects: raw.objects, seconds: round(raw.seconds), objectsPerSecond: round(rawRate) },
  operatorColdPass: {
    childWrites,
    seconds: round(coldSeconds),
    writesPerSecond: round(operatorRate),
  },
  ratioToRaw: raw.objects > 0 ? round(operatorRate / rawRate) : null,
  operatorNodeOptions: process.env.OPERATOR_NODE_OPTIONS ?? null,
  steadyStateResync: { reconciles: instances, writes: steadyWrites },
  operatorRssMiB: rss,
  goals: { ratioToRaw: '>= 0.8', steadyStateWrites: 0 },
});
await cleanUp([rawNamespace, namespace]);

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

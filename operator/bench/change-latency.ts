// Benchmark: how long from a spec change to the changed child on the API server (goal: p99 ≤ 1 s).
// Run: node operator/bench/change-latency.ts   (INSTANCES=20 CHANGES=100 by default)
import { Watch } from '@kubernetes/client-node';
import type { V1Deployment } from '@kubernetes/client-node';
import { markJobComplete } from '../src/test-support/child-status.ts';
import {
  admin,
  createInstance,
  createNamespace,
  installOperatorManifests,
  patchInstanceSpec,
  waitFor,
} from '../src/test-support/cluster.ts';
import {
  cleanUp,
  percentile,
  settled,
  startOperatorProcess,
  writeResult,
} from './bench-support.ts';

const instances = Number(process.env.INSTANCES ?? 20);
const changes = Number(process.env.CHANGES ?? 100);

await installOperatorManifests();
const namespace = await createNamespace('umi-bench-latency');
const op = await startOperatorProcess(namespace, 18091);
const names = Array.from({ length: instances }, (_, i) => `b${i}`);
for (const name of names) await createInstance(namespace, name, { version: '1.0.0' });
// Play the Job controller: complete every migration so the Deployments exist.
await waitFor(
  async () => (await admin.batch.listNamespacedJob({ namespace })).items.length === instances,
  'jobs',
  120_000,
);
for (const job of (await admin.batch.listNamespacedJob({ namespace })).items) {
  await markJobComplete(namespace, job.metadata?.name ?? '');
}
await waitFor(
  async () =>
    (await admin.apps.listNamespacedDeployment({ namespace })).items.length === instances * 3,
  'deployments',
  120_000,
);
await settled(op, instances);

const replicas = new Map<string, number>();
const waiters = new Map<string, (at: number) => void>();
const watch = await new Watch(admin.kc).watch(
  `/apis/apps/v1/namespaces/${namespace}/deployments`,
  {},
  (_phase: string, obj: V1Deployment) => {
    const name = obj.metadata?.name ?? '';
    const resolve = waiters.get(`${name}=${obj.spec?.replicas}`);
    if (resolve) resolve(performance.now());
  },
  () => undefined,
);

const latencies: number[] = [];
for (let i = 0; i < changes; i += 1) {
  const name = names[i % names.length] ?? 'b0';
  const target = replicas.get(name) === 3 ? 2 : 3;
  replicas.set(name, target);
  const seen = new Promise<number>((resolve) => waiters.set(`${name}-web=${target}`, resolve));
  const start = performance.now();
  await patchInstanceSpec(namespace, name, { components: { web: { replicas: target } } });
  latencies.push((await seen) - start);
  waiters.delete(`${name}-web=${target}`);
}
watch.abort();
await op.stop();

latencies.sort((a, b) => a - b);
const ms = (v: number) => Math.round(v * 10) / 10;
await writeResult('change-latency', {
  instances,
  changes,
  p50Ms: ms(percentile(latencies, 50)),
  p95Ms: ms(percentile(latencies, 95)),
  p99Ms: ms(percentile(latencies, 99)),
  maxMs: ms(latencies.at(-1) ?? Number.NaN),
  goal: 'p99 <= 1000 ms',
});
await cleanUp([namespace]);

// Two real operator processes compete for the Lease, running under the generated RBAC. The
// leader is killed with SIGKILL (no chance to release the Lease) and the standby must take over
// within 15 seconds.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { CoordinationV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { V1Role, V1RoleBinding } from '@kubernetes/client-node';
import { parse } from 'yaml';
import * as api from '../api/group.ts';
import { repoRoot } from '../install/render.ts';
import {
  admin,
  condition,
  createInstance,
  createNamespace,
  getInstance,
  installOperatorManifests,
  operatorKubeConfig,
  waitFor,
} from '../test-support/cluster.ts';

jest.setTimeout(90_000);

interface Replica {
  identity: string;
  child: ChildProcess;
  output: string[];
  port: () => number | undefined;
}

let watchNamespace: string;
let leaseNamespace: string;
let kubeconfigPath: string;
const replicas: Replica[] = [];
const leases = admin.kc.makeApiClient(CoordinationV1Api);

// The generated leader-election Role and RoleBinding, moved to a namespace of this test's own,
// so parallel and repeated runs never share a Lease.
async function installLeaseRbac(namespace: string): Promise<void> {
  const rbac = admin.kc.makeApiClient(RbacAuthorizationV1Api);
  const read = async <T>(file: string) =>
    parse(await readFile(join(repoRoot, 'operator/config/rbac', file), 'utf8')) as T;
  const role = await read<V1Role>('leader-election-role.yaml');
  const binding = await read<V1RoleBinding>('leader-election-role-binding.yaml');
  await rbac.createNamespacedRole({
    namespace,
    body: { ...role, metadata: { ...role.metadata, namespace } },
  });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: { ...binding, metadata: { ...binding.metadata, namespace } },
  });
}

function startReplica(
  identity: string,
  overrides: { kubeconfig?: string; leaseNamespace?: string } = {},
): Replica {
  const child = spawn(process.execPath, ['operator/src/main.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      KUBECONFIG: overrides.kubeconfig ?? kubeconfigPath,
      WATCH_NAMESPACE: watchNamespace,
      POD_NAMESPACE: overrides.leaseNamespace ?? leaseNamespace,
      POD_NAME: identity,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const port = () => {
    const line = output
      .join('')
      .split('\n')
      .find((l) => l.includes('"operator started"'));
    return line ? (JSON.parse(line) as { port: number }).port : undefined;
  };
  const replica = { identity, child, output, port };
  replicas.push(replica);
  return replica;
}

async function holder(): Promise<string | undefined> {
  const lease = await leases.readNamespacedLease({
    namespace: leaseNamespace,
    name: api.leaseName,
  });
  return lease.spec?.holderIdentity || undefined;
}

async function get(replica: Replica, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${replica.port()}${path}`);
  return { status: response.status, body: await response.text() };
}

beforeAll(async () => {
  await installOperatorManifests();
  watchNamespace = await createNamespace('umi-leader');
  leaseNamespace = await createNamespace('umi-lease');
  await installLeaseRbac(leaseNamespace);
  const dir = await mkdtemp(join(tmpdir(), 'ums-operator-'));
  kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, (await operatorKubeConfig()).exportConfig(), { mode: 0o600 });
});

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

afterAll(async () => {
  const exits = replicas
    .filter(({ child }) => running(child))
    .map(({ child }) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    });
  await Promise.all(exits);
});

test('when two operators run, then exactly one leads, both are healthy, and only the leader reconciles', async () => {
  const [a, b] = [startReplica('replica-a'), startReplica('replica-b')];
  const leader = await waitFor(holder, 'a leader', 30_000);
  expect(['replica-a', 'replica-b']).toContain(leader);
  await createInstance(watchNamespace, 'first', { version: '1.0.0' });
  await waitFor(
    async () => condition(await getInstance(watchNamespace, 'first'), 'Ready'),
    'first reconciled',
  );
  await waitFor(() => a.port() && b.port(), 'both HTTP servers');
  for (const replica of [a, b]) {
    expect((await get(replica, '/healthz')).status).toBe(200);
    expect((await get(replica, '/readyz')).status).toBe(200);
    const metrics = (await get(replica, '/metrics')).body;
    const leading = replica.identity === leader;
    expect(metrics).toContain(
      `ums_operator_leader{service_name="ums-operator"} ${leading ? 1 : 0}`,
    );
    // Exported at 0 from the start; only the leader has reconciled.
    const successes = /^ums_operator_reconcile_total\{result="success"[^}]*\} (\d+)$/m.exec(
      metrics,
    );
    expect(Number(successes?.[1]) > 0).toBe(leading);
    expect(metrics).toContain('ums_operator_workqueue_depth');
  }
});

test('when the leader is killed, then the standby takes the Lease and reconciles within 15 seconds', async () => {
  const leaderName = await holder();
  const leader = replicas.find((r) => r.identity === leaderName);
  const standby = replicas.find((r) => r.identity !== leaderName);
  if (!leader || !standby) throw new Error('expected one leader and one standby');
  const killedAt = Date.now();
  leader.child.kill('SIGKILL');
  await createInstance(watchNamespace, 'second', { version: '1.0.0' });
  await waitFor(
    async () => (await holder()) === standby.identity,
    'the standby to take the Lease',
    20_000,
  );
  const takeoverMs = Date.now() - killedAt;
  await waitFor(
    async () => condition(await getInstance(watchNamespace, 'second'), 'Ready'),
    'second reconciled',
    20_000,
  );
  const reconciledMs = Date.now() - killedAt;
  process.stdout.write(
    `leader takeover: Lease after ${takeoverMs} ms, new instance reconciled after ${reconciledMs} ms\n`,
  );
  expect(reconciledMs).toBeLessThan(15_000);
  expect(standby.output.join('')).toContain('"became leader"');
});

test('when the Lease namespace does not exist, then the operator stops at once and says what to apply', async () => {
  // A person running it locally with an admin kubeconfig (the in-cluster account lives in that
  // namespace, so it cannot be missing there).
  const adminKubeconfig = join(await mkdtemp(join(tmpdir(), 'ums-operator-admin-')), 'kubeconfig');
  await writeFile(adminKubeconfig, admin.kc.exportConfig(), { mode: 0o600 });
  const missing = `umi-missing-${Date.now()}`;
  const replica = startReplica('replica-lost', {
    kubeconfig: adminKubeconfig,
    leaseNamespace: missing,
  });
  const code = await new Promise<number | null>((resolve) => replica.child.once('exit', resolve));
  expect(code).toBe(1);
  const output = replica.output.join('');
  expect(output).toContain(`namespace \\"${missing}\\" not found`);
  expect(output).toContain('operator/config/manager/namespace.yaml');
  expect(output).toContain('LEADER_ELECT=false');
});

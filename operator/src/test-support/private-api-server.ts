// A second, private kube-apiserver for a test that needs a cluster without something the shared
// one has (the Prometheus Operator's CRDs, which other suites install and use). It is the same
// binary, PKI and etcd as `npm run cluster:up`'s, under an etcd prefix of its own, so it starts
// empty: no CRDs, no namespaces, no RBAC. Its keys are deleted from etcd when it stops.
// Import this before test-support/cluster.ts, which binds to $KUBECONFIG when imported.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { repoRoot } from '../install/render.ts';

export interface PrivateApiServer {
  /** A kubeconfig file for it, with the shared cluster's admin credentials. */
  kubeconfig: string;
  url: string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const etcdUrl = () => `http://127.0.0.1:${process.env.UMS_ETCD_PORT ?? '52379'}`;
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Deletes every etcd key under `prefix/` through etcd's v3 JSON gateway. */
async function deleteEtcdPrefix(prefix: string): Promise<void> {
  // The range [prefix/, prefix0) is every key starting with `prefix/` ('0' follows '/').
  const response = await fetch(`${etcdUrl()}/v3/kv/deleterange`, {
    method: 'POST',
    body: JSON.stringify({ key: b64(`${prefix}/`), range_end: b64(`${prefix}0`) }),
  });
  if (!response.ok) throw new Error(`etcd deleterange: HTTP ${response.status}`);
}

async function waitReady(kc: KubeConfig, child: ChildProcess, log: () => string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kube-apiserver exited:\n${log()}`);
    // The default namespace appears once the server's own bootstrap controllers have run.
    const ready = await core.readNamespace({ name: 'default' }).then(
      () => true,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`kube-apiserver not ready in 90 s:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function startPrivateApiServer(): Promise<PrivateApiServer> {
  const shared = process.env.KUBECONFIG;
  if (!shared) throw new Error('KUBECONFIG is not set: run through `bash scripts/ums.sh exec`');
  // kubectl is a link into the folder the Kubernetes binaries were built into.
  const bin = join(dirname(await realpath(`${repoRoot}.local/bin/kubectl`)), 'kube-apiserver');
  const pki = `${repoRoot}.local/data/kube/pki`;
  const dir = await mkdtemp(join(tmpdir(), 'ums-private-apiserver-'));
  const port = await freePort();
  const prefix = `/ums-private-${randomBytes(6).toString('hex')}`;
  let output = '';
  const child = spawn(
    bin,
    [
      `--etcd-servers=${etcdUrl()}`,
      `--etcd-prefix=${prefix}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--tls-cert-file=${pki}/server.crt`,
      `--tls-private-key-file=${pki}/server.key`,
      `--client-ca-file=${pki}/ca.crt`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${pki}/sa.pub`,
      `--service-account-signing-key-file=${pki}/sa.key`,
      '--api-audiences=https://kubernetes.default.svc',
      '--service-cluster-ip-range=10.96.0.0/16',
      `--cert-dir=${dir}/certs`,
      '--profiling=false',
      '--v=0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `https://127.0.0.1:${port}`;
  // The shared kubeconfig's CA and admin client certificate, pointed at this server (its
  // serving certificate names 127.0.0.1).
  const kubeconfig = join(dir, 'kubeconfig');
  const text = await readFile(shared, 'utf8');
  await writeFile(kubeconfig, text.replace(/server: \S+/g, `server: ${url}`));
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await deleteEtcdPrefix(prefix);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(kc, child, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { kubeconfig, url, stop };
}

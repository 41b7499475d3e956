// Helpers for tests against the real kube-apiserver that `npm run cluster:up` starts. The
// operator runs under the generated ServiceAccount and RBAC, never as cluster admin.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { createLogger } from '@ums/service-kit/logger';
import * as api from '../api/group.ts';
import type { UserManagementInstance } from '../api/types.ts';
import { operatorConfigSchema } from '../config.ts';
import type { OperatorConfig } from '../config.ts';
import { repoRoot } from '../install/render.ts';
import { createOperator } from '../operator.ts';
import type { Operator } from '../operator.ts';
import { totalWrites } from '../runtime/metrics.ts';

const run = promisify(execFile);

export function adminKubeConfig(): KubeConfig {
  const path = process.env.KUBECONFIG;
  if (!path) {
    throw new Error(
      'KUBECONFIG is not set: start the cluster with `npm run cluster:up` (or run `npm test`)',
    );
  }
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

export const admin = {
  kc: adminKubeConfig(),
  get core() {
    return this.kc.makeApiClient(CoreV1Api);
  },
  get apps() {
    return this.kc.makeApiClient(AppsV1Api);
  },
  get batch() {
    return this.kc.makeApiClient(BatchV1Api);
  },
  get custom() {
    return this.kc.makeApiClient(CustomObjectsApi);
  },
};

// kubectl caches API discovery per server address for minutes; a cluster restarted on the same
// port (a second test run) would otherwise be described by the previous cluster's cache.
let discoveryCache: string | undefined;

export async function kubectl(...args: string[]): Promise<string> {
  const kubeconfig = process.env.KUBECONFIG ?? '';
  discoveryCache ??= await mkdtemp(join(tmpdir(), 'ums-kubectl-cache-'));
  const { stdout } = await run(
    `${repoRoot}.local/bin/kubectl`,
    ['--kubeconfig', kubeconfig, '--cache-dir', discoveryCache, ...args],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** Installs the generated CRD and RBAC exactly as committed, and waits for the CRD. */
export async function installOperatorManifests(): Promise<void> {
  const config = `${repoRoot}operator/config`;
  await kubectl(
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    `${config}/manager/namespace.yaml`,
  );
  await kubectl(
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    `${config}/crd`,
    '-f',
    `${config}/rbac`,
  );
  await kubectl('wait', '--for=condition=Established', '--timeout=30s', `crd/${api.crdName}`);
}

/** A kubeconfig that authenticates as the operator's ServiceAccount with a fresh token. */
export async function operatorKubeConfig(): Promise<KubeConfig> {
  const token = await admin.core.createNamespacedServiceAccountToken({
    namespace: api.operatorNamespace,
    name: api.operatorName,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const cluster = admin.kc.getCurrentCluster();
  if (!cluster || !token.status?.token) throw new Error('no cluster in KUBECONFIG or no token');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: api.operatorName, token: token.status.token }],
    contexts: [{ name: api.operatorName, cluster: cluster.name, user: api.operatorName }],
    currentContext: api.operatorName,
  });
  return kc;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export async function createNamespace(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await admin.core.createNamespace({ body: { metadata: { name } } });
  return name;
}

export interface RunningOperator {
  operator: Operator;
  logs: string[];
  writes: () => Promise<number>;
  /** Waits until the queue is empty and stays empty for `quietMs`. */
  settle: (quietMs?: number) => Promise<void>;
  stop: () => Promise<void>;
}

export async function startOperator(
  namespace: string,
  overrides: Partial<OperatorConfig> = {},
): Promise<RunningOperator> {
  const logs: string[] = [];
  const logger = createLogger({
    name: 'ums-operator',
    level: 'debug',
    destination: { write: (line: string) => void logs.push(line) },
  });
  const config: OperatorConfig = {
    ...operatorConfigSchema.parse({}),
    LEADER_ELECT: false,
    WATCH_NAMESPACE: namespace,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: 0,
    BACKOFF_BASE_MS: 100,
    BACKOFF_MAX_MS: 2000,
    ...overrides,
  };
  const operator = createOperator({
    config,
    kubeConfig: await operatorKubeConfig(),
    logger,
    defaultMetrics: false,
    onLostLease: () => undefined,
  });
  await operator.start();
  await waitFor(() => operator.controller.caches.synced, 'operator caches to sync');
  const settle = async (quietMs = 400) => {
    for (;;) {
      await operator.controller.queue.idle();
      const before = await totalWrites(operator.metrics);
      await sleep(quietMs);
      if (operator.controller.queue.depth === 0 && (await totalWrites(operator.metrics)) === before)
        return;
    }
  };
  return {
    operator,
    logs,
    writes: () => totalWrites(operator.metrics),
    settle,
    stop: () => operator.stop(),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 20_000,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await sleep(100);
  }
}

export function instanceBody(name: string, spec: Record<string, unknown>) {
  return { apiVersion: api.apiVersion, kind: api.kind, metadata: { name }, spec };
}

const crd = { group: api.group, version: api.version, plural: api.plural };

export async function createInstance(
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
) {
  return admin.custom.createNamespacedCustomObject({
    ...crd,
    namespace,
    body: instanceBody(name, spec),
  });
}

export async function getInstance(
  namespace: string,
  name: string,
): Promise<UserManagementInstance> {
  return (await admin.custom.getNamespacedCustomObject({
    ...crd,
    namespace,
    name,
  })) as UserManagementInstance;
}

export async function patchInstanceSpec(
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
) {
  return admin.custom.patchNamespacedCustomObject(
    { ...crd, namespace, name, body: { spec } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

export async function deleteInstance(namespace: string, name: string) {
  return admin.custom.deleteNamespacedCustomObject({ ...crd, namespace, name });
}

export function condition(instance: UserManagementInstance | undefined, type: string) {
  return instance?.status?.conditions?.find((c) => c.type === type);
}

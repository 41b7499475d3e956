// Shared pieces of the operator benchmarks: an operator child process under the generated RBAC,
// metric scraping, percentiles and result files (bench/results/, git-ignored).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/install/render.ts';
import { kubectl, operatorKubeConfig, sleep, waitFor } from '../src/test-support/cluster.ts';

export interface OperatorProcess {
  child: ChildProcess;
  /** Sum of a metric's samples, optionally only lines containing every one of `having`. */
  metric: (name: string, ...having: string[]) => Promise<number>;
  rssMiB: () => Promise<number>;
  stop: () => Promise<void>;
}

export async function startOperatorProcess(
  namespace: string,
  port: number,
  env: Record<string, string> = {},
): Promise<OperatorProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'ums-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, (await operatorKubeConfig()).exportConfig(), { mode: 0o600 });
  const child = spawn(process.execPath, ['operator/src/main.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      KUBECONFIG: kubeconfig,
      WATCH_NAMESPACE: namespace,
      LEADER_ELECT: 'false',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      LOG_LEVEL: 'warn',
      // e.g. OPERATOR_NODE_OPTIONS=--max-old-space-size=256 to see the heap the operator needs.
      ...(process.env.OPERATOR_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.OPERATOR_NODE_OPTIONS }
        : {}),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  await waitFor(() => scrape().then(() => true), 'operator /metrics', 30_000);
  const metric = async (name: string, ...having: string[]) =>
    (await scrape())
      .split('\n')
      .filter((line) => line.startsWith(name) && having.every((h) => line.includes(h)))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  const rssMiB = async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  };
  const stop = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, metric, rssMiB, stop };
}

/**
 * Waits until the operator's write counter and queue stay still for `quietMs`; returns when
 * (performance.now()) the last write was seen, polling every 100 ms.
 */
export async function settled(
  op: OperatorProcess,
  minReconciles: number,
  quietMs = 2000,
): Promise<number> {
  let last = -1;
  let changedAt = performance.now();
  for (;;) {
    const writes = await op.metric('ums_operator_api_writes_total');
    const depth = await op.metric('ums_operator_workqueue_depth');
    const reconciles = await op.metric('ums_operator_reconcile_total');
    if (writes !== last) {
      last = writes;
      changedAt = performance.now();
    } else if (
      depth === 0 &&
      reconciles >= minReconciles &&
      performance.now() - changedAt >= quietMs
    ) {
      return changedAt;
    }
    await sleep(100);
  }
}

export function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export async function writeResult(name: string, result: Record<string, unknown>): Promise<void> {
  const dir = join(repoRoot, 'operator/bench/results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  await writeFile(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`,
  );
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten to ${file}\n`);
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function pool<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await task(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** Deletes what a benchmark created, so thousands of objects do not stay in the shared etcd. */
export async function cleanUp(namespaces: string[]): Promise<void> {
  const kinds = 'umi,deploy,sts,svc,cm,secret,pdb,netpol,job,hpa,ingress,events';
  for (const namespace of namespaces) {
    await kubectl('delete', kinds, '--all', '-n', namespace, '--wait=false', '-o', 'name');
    await kubectl('delete', 'namespace', namespace, '--wait=false');
  }
}

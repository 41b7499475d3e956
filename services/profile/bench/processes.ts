// Child processes and measurements for the benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const SERVICE = ['--import', './src/instrumentation.ts', 'src/main.ts'];

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: object,
) => Promise<CannonResult>;

export const round = (n: number) => Math.round(n * 10) / 10;
export const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Resident set size now and at its peak (VmHWM), in MiB, from /proc. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** Starts a Node process with PORT set and waits until its /health answers. */
export async function startService(
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  cwd = root,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    const up = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => true,
      () => false,
    );
    if (up) return child;
    await sleep(200);
  }
  throw new Error(`${args.join(' ')} did not start`);
}

/** The hello-world servers print their port once they listen. */
export async function startHello(script: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout?.once('data', resolve));
  return child;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** 3 s warm-up (JIT, pools, caches), then 10 s measured (by default), 20 connections. */
export async function cannon(
  url: string,
  headers: Record<string, string>,
  timing: { warmup: number; seconds: number } = { warmup: 3, seconds: 10 },
) {
  const options = { url, headers, connections: 20, pipelining: 1 };
  await autocannon({ ...options, duration: timing.warmup });
  const r = await autocannon({ ...options, duration: timing.seconds });
  return {
    reqPerSec: round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

/** Streams the full CSV export while sampling the service's resident memory every 50 ms. */
export async function measureExport(base: string, headers: Record<string, string>, pid: number) {
  const before = memoryOf(pid);
  let peak = before.rss;
  const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rss)), 50);
  const started = Date.now();
  const res = await fetch(`${base}/api/v1/users/export?format=csv`, { headers });
  if (!res.ok) throw new Error(`export: ${res.status}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines += 1;
  }
  clearInterval(sampler);
  const after = memoryOf(pid);
  return {
    rows: lines - 1,
    megabytes: round(bytes / 1024 / 1024),
    seconds: round((Date.now() - started) / 1000),
    rssBeforeMiB: round(before.rss),
    rssPeakMiB: round(Math.max(peak, after.rss, after.peak)),
  };
}

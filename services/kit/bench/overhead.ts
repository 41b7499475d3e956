// What the kit's middleware costs per request: hello-world servers (bench/server.ts) measured one
// after another in the same run, alternating over BENCH_ROUNDS rounds, so the ratios share the
// machine's conditions. Each variant runs in its own process; autocannon runs here.
//   node services/kit/bench/overhead.ts
// BENCH_VARIANTS   comma list (default: bare,kit and one `-<middleware>` per middleware)
// BENCH_SECONDS    measured seconds per variant and round (default 3, after 1 s of warm-up)
// BENCH_ROUNDS     rounds (default 2; the order is reversed every other round)
// BENCH_TRACING=1  every variant also starts OpenTelemetry tracing (see bench/server.ts)
// BENCH_IN_PROCESS=<n>  instead of autocannon over TCP, each variant feeds <n> requests through a
//                  fake socket in its own process (bench/server.ts BENCH_REQUESTS) and reports CPU
//                  microseconds per request; the median of BENCH_ROUNDS (default 5 here) rounds.
//                  No kernel and no load generator: the precise way to attribute costs.
// BENCH_BASELINE=<dir>  variants written `base:<variant>` import the kit from <dir> (another
//                  checkout's services/kit/src, under the repository so it resolves the same
//                  node_modules), e.g. BENCH_VARIANTS=bare,kit,base:kit for before/after in one run.
// Results go to bench/results/overhead-<time>.json (git-ignored).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const autocannon = createRequire(import.meta.url)('autocannon') as (options: object) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}>;

const layers = ['requestId', 'httpLogger', 'metrics', 'health', 'metricsRoute', 'jsonGuard'];
const variants = (
  process.env.BENCH_VARIANTS ??
  ['bare', 'kit', ...[...layers, 'json', 'security', 'cors'].map((m) => `-${m}`)].join(',')
)
  .split(',')
  .filter(Boolean);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const inProcess = Number(process.env.BENCH_IN_PROCESS ?? 0);
const rounds = Number(process.env.BENCH_ROUNDS ?? (inProcess > 0 ? 5 : 2));
const say = (message: string) => process.stdout.write(`bench: ${message}\n`);

// `-<layer>` variants cost what they save against their own `kit`.
const isRemoval = (v: string) => v.replace(/^base:/, '').startsWith('-');
const fullOf = (v: string) => (v.startsWith('base:') ? 'base:kit' : 'kit');

// The environment of a variant's server process.
function envOf(variant: string): NodeJS.ProcessEnv {
  if (!variant.startsWith('base:')) return { ...process.env, BENCH_VARIANT: variant };
  const baseline = process.env.BENCH_BASELINE;
  if (!baseline) throw new Error(`${variant} needs BENCH_BASELINE`);
  return {
    ...process.env,
    BENCH_VARIANT: variant.slice('base:'.length),
    BENCH_KIT_SRC: path.resolve(baseline),
  };
}

async function start(variant: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [`${here}server.ts`], {
    env: { ...envOf(variant), PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${variant} exited with ${code}`)));
    child.stdout?.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
  });
  return { child, port };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function table(rows: Record<string, unknown>[]): void {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = [columns, ...rows.map((row) => columns.map((c) => String(row[c] ?? '')))];
  const widths = columns.map((_c, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)));
  for (const line of cells) {
    process.stdout.write(`${line.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ')}\n`);
  }
}

// utime + stime of a process, in clock ticks (100 per second on Linux).
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function measure(variant: string) {
  const { child, port } = await start(variant);
  try {
    const options = { url: `http://127.0.0.1:${port}/`, connections: 20, pipelining: 1 };
    await autocannon({ ...options, duration: 1 });
    const ticks = cpuTicks(child.pid as number);
    const r = await autocannon({ ...options, duration: seconds });
    // The server's own CPU per request: far less sensitive to a busy machine than the rate.
    const cpuUs = Math.round(((cpuTicks(child.pid as number) - ticks) * 1e4) / r.requests.total);
    if (r.errors > 0 || r.non2xx > 0)
      throw new Error(`${variant}: ${r.errors} errors, ${r.non2xx} non-2xx`);
    return {
      reqPerSec: Math.round(r.requests.average),
      cpuUs,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
    };
  } finally {
    await stop(child);
  }
}

async function measureInProcess(variant: string) {
  const child = spawn(process.execPath, [`${here}server.ts`], {
    env: { ...envOf(variant), BENCH_REQUESTS: String(inProcess) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (data: Buffer) => (out += String(data)));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${variant} exited with ${String(code)}`);
  return JSON.parse(out) as { cpuUs: number; wallUs: number };
}

if (inProcess > 0) {
  const cpu: Record<string, number[]> = {};
  for (let i = 0; i < rounds; i += 1) {
    for (const variant of i % 2 === 0 ? variants : [...variants].reverse()) {
      const result = await measureInProcess(variant);
      (cpu[variant] ??= []).push(result.cpuUs);
      say(`round ${i + 1} ${variant}: ${JSON.stringify(result)}`);
    }
  }
  const median = (values: number[] = []) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  const bareCpu = median(cpu.bare);
  const summary = variants.map((v) => ({
    variant: v,
    cpuUsPerReq: Math.round(median(cpu[v]) * 10) / 10,
    overBareUs: Math.round((median(cpu[v]) - bareCpu) * 10) / 10,
    ...(isRemoval(v)
      ? { costUs: Math.round((median(cpu[fullOf(v)]) - median(cpu[v])) * 10) / 10 }
      : {}),
    samples: cpu[v],
  }));
  table(summary.map(({ samples: _s, ...row }) => row));
  write({ mode: 'in-process', requests: inProcess, rounds, summary });
  process.exit(0);
}

function write(result: object): void {
  mkdirSync(`${here}results`, { recursive: true });
  const file = `${here}results/overhead-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(
    file,
    `${JSON.stringify({ tracing: process.env.BENCH_TRACING === '1', ...result }, null, 2)}\n`,
  );
  say(`written ${file}`);
}

const samples: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
for (let i = 0; i < rounds; i += 1) {
  for (const variant of i % 2 === 0 ? variants : [...variants].reverse()) {
    const result = await measure(variant);
    (samples[variant] ??= []).push(result.reqPerSec);
    (cpu[variant] ??= []).push(result.cpuUs);
    say(`round ${i + 1} ${variant}: ${JSON.stringify(result)}`);
  }
}
const avg = (values: number[] = []) => values.reduce((a, b) => a + b, 0) / values.length;
const mean = (v: string) => avg(samples[v]);
const cpuOf = (v: string) => avg(cpu[v]);
const bare = mean('bare');
const bareCpu = cpuOf('bare');
const summary = variants.map((v) => ({
  variant: v,
  reqPerSec: Math.round(mean(v)),
  toBare: Math.round((mean(v) / bare) * 100) / 100,
  cpuUsPerReq: Math.round(cpuOf(v)),
  // The server's CPU per request over a bare Express's, per request.
  cpuOverBareUs: Math.round(cpuOf(v) - bareCpu),
  // For `-<name>`: server CPU microseconds per request that <name> costs.
  ...(isRemoval(v) ? { costUs: Math.round(cpuOf(fullOf(v)) - cpuOf(v)) } : {}),
  samples: samples[v],
  cpuSamples: cpu[v],
}));
table(summary.map(({ samples: _s, cpuSamples: _c, ...row }) => row));
write({ mode: 'tcp', seconds, rounds, summary });

import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { Gauge, type Registry } from 'prom-client';

export interface ProcessLimits {
  /** CPU cores the process may use: the cgroup's cpu.max quota, else every core. */
  cpuCores: number;
  /** Memory the process may use, in bytes: the cgroup's memory.max, else the machine's memory. */
  memoryBytes: number;
}

export interface ProcessLimitSources {
  /** Where cgroup v2 is mounted. Default /sys/fs/cgroup. */
  cgroupRoot?: string;
  /** The content of /proc/self/cgroup (read when not given). */
  selfCgroup?: string;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * The process's cgroup v2 directories, innermost first up to the root: a limit set on any
 * ancestor applies too. In a container (its own cgroup namespace) the path is `/`, so this is
 * just the mount point.
 */
function cgroupDirs(root: string, selfCgroup: string | undefined): string[] {
  const unified = selfCgroup
    ?.split('\n')
    .find((line) => line.startsWith('0::'))
    ?.slice(3)
    .trim();
  const parts = (unified ?? '/').split('/').filter((p) => p.length > 0 && p !== '..');
  const dirs: string[] = [];
  for (let i = parts.length; i >= 0; i -= 1) dirs.push(join(root, ...parts.slice(0, i)));
  return dirs;
}

/** `cpu.max` is `<quota> <period>` in microseconds, or `max <period>` without a limit. */
export function parseCpuMax(text: string | undefined): number | undefined {
  const [quota, period] = (text ?? '').split(/\s+/);
  const q = Number(quota);
  const p = Number(period);
  return quota !== 'max' && q > 0 && p > 0 ? q / p : undefined;
}

/** `memory.max` is a byte count, or `max` without a limit. */
export function parseMemoryMax(text: string | undefined): number | undefined {
  const bytes = Number(text);
  return text !== undefined && text !== 'max' && Number.isFinite(bytes) && bytes > 0
    ? bytes
    : undefined;
}

function smallest(values: (number | undefined)[]): number | undefined {
  const found = values.filter((v): v is number => v !== undefined);
  return found.length > 0 ? Math.min(...found) : undefined;
}

/**
 * The CPU and memory the process may use, as Kubernetes limits them (cgroup v2), so a dashboard
 * can show usage against the limit. Without a limit (a developer's machine, cgroup v1), the
 * machine's own cores and memory.
 */
export function readProcessLimits(sources: ProcessLimitSources = {}): ProcessLimits {
  const root = sources.cgroupRoot ?? '/sys/fs/cgroup';
  const dirs = cgroupDirs(root, sources.selfCgroup ?? read('/proc/self/cgroup'));
  const cpu = smallest(dirs.map((dir) => parseCpuMax(read(join(dir, 'cpu.max')))));
  const memory = smallest(dirs.map((dir) => parseMemoryMax(read(join(dir, 'memory.max')))));
  return {
    cpuCores: Math.min(cpu ?? Infinity, availableParallelism()),
    memoryBytes: memory ?? totalmem(),
  };
}

/**
 * `ums_process_cpu_limit_cores` and `ums_process_memory_limit_bytes`, read once: a pod's limits
 * do not change while it runs (an in-place resize restarts nothing, but is rare enough to wait
 * for the next start).
 */
export function registerProcessLimits(registry: Registry, sources?: ProcessLimitSources): void {
  const limits = readProcessLimits(sources);
  new Gauge({
    name: 'ums_process_cpu_limit_cores',
    help: 'CPU cores the process may use (cgroup cpu.max, else the available cores)',
    registers: [registry],
  }).set(limits.cpuCores);
  new Gauge({
    name: 'ums_process_memory_limit_bytes',
    help: 'Memory the process may use in bytes (cgroup memory.max, else the total memory)',
    registers: [registry],
  }).set(limits.memoryBytes);
}

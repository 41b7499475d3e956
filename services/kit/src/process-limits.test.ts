import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createMetrics } from './metrics.ts';
import {
  parseCpuMax,
  parseMemoryMax,
  readProcessLimits,
  registerProcessLimits,
} from './process-limits.ts';

/** A fake cgroup v2 mount: `files` maps `<dir>/<file>` to its content. */
function cgroupRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kit-cgroup-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, `${content}\n`);
  }
  return root;
}

describe('process limits (cgroup v2)', () => {
  it('when cpu.max and memory.max hold limits, then they are read as cores and bytes', () => {
    expect(parseCpuMax('150000 100000')).toBe(1.5);
    expect(parseCpuMax('max 100000')).toBeUndefined();
    expect(parseMemoryMax('536870912')).toBe(536_870_912);
    expect(parseMemoryMax('max')).toBeUndefined();
  });

  it('when the container cgroup limits CPU and memory, then the limits are the cgroup values', () => {
    const root = cgroupRoot({ 'cpu.max': '50000 100000', 'memory.max': '268435456' });
    expect(readProcessLimits({ cgroupRoot: root, selfCgroup: '0::/\n' })).toEqual({
      cpuCores: Math.min(0.5, availableParallelism()),
      memoryBytes: 268_435_456,
    });
  });

  it('when a parent cgroup is stricter than the process cgroup, then the stricter limit wins', () => {
    const root = cgroupRoot({
      'kubepods/cpu.max': '100000 100000',
      'kubepods/memory.max': '100000000',
      'kubepods/pod1/cpu.max': 'max 100000',
      'kubepods/pod1/memory.max': '200000000',
    });
    const limits = readProcessLimits({ cgroupRoot: root, selfCgroup: '0::/kubepods/pod1\n' });
    expect(limits).toEqual({
      cpuCores: Math.min(1, availableParallelism()),
      memoryBytes: 100_000_000,
    });
  });

  it('when no cgroup limit exists, then the machine cores and memory are reported', () => {
    const root = cgroupRoot({ 'cpu.max': 'max 100000', 'memory.max': 'max' });
    expect(readProcessLimits({ cgroupRoot: root, selfCgroup: '0::/\n' })).toEqual({
      cpuCores: availableParallelism(),
      memoryBytes: totalmem(),
    });
  });

  it('when the registry is scraped, then both gauges carry the limits', async () => {
    const registry = new Registry();
    const root = cgroupRoot({ 'cpu.max': '200000 100000', 'memory.max': '1073741824' });
    registerProcessLimits(registry, { cgroupRoot: root, selfCgroup: '0::/' });
    const text = await registry.metrics();
    expect(text).toContain(`ums_process_cpu_limit_cores ${Math.min(2, availableParallelism())}`);
    expect(text).toContain('ums_process_memory_limit_bytes 1073741824');
  });

  it('when a service builds its metrics, then the limits are exported with its service_name', async () => {
    const { registry } = createMetrics({ serviceName: 'limits-svc' });
    const text = await registry.metrics();
    expect(text).toMatch(/^ums_process_cpu_limit_cores\{service_name="limits-svc"\} \d/m);
    expect(text).toMatch(/^ums_process_memory_limit_bytes\{service_name="limits-svc"\} \d/m);
  });
});

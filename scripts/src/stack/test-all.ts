// `npm test`: runs every workspace's tests (unit, integration, operator, browser) against the
// real local servers that scripts/ums.sh has started, then prints one total over all runners.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { scanLogs } from './log-scan.ts';
import { formatTotals, sumTotals, type RunnerTotals } from './totals.ts';

const root = new URL('../../../', import.meta.url).pathname;
const resultsDir = join(root, '.local', 'test-results');
// The end-to-end stacks' output and the pods' logs, for the log scan after every runner.
const logsDir = join(resultsDir, 'logs');
// The kubelet's default podLogsDir; its folders are named <namespace>_<pod>_<uid>.
const podLogsDir = '/var/log/pods';
const ourNamespaces = /^(user-management|ums-)/;

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numRuntimeErrorTestSuites: number;
}

async function runJest(extraArgs: string[], name = 'jest'): Promise<RunnerTotals> {
  const output = join(resultsDir, `${name}.json`);
  // Native ESM (as Node runs the code) needs the VM modules flag; Jest then loads ESM-only
  // packages such as @kubernetes/client-node without transpiling node_modules.
  const code = await run(process.execPath, [
    '--experimental-vm-modules',
    '--disable-warning=ExperimentalWarning',
    join(root, 'node_modules/jest/bin/jest.js'),
    '--json',
    `--outputFile=${output}`,
    ...extraArgs,
  ]);
  if (!existsSync(output))
    return { runner: name, passed: 0, failed: 1, skipped: 0, exitCode: code || 1 };
  const json = JSON.parse(readFileSync(output, 'utf8')) as JestJson;
  return {
    runner: name,
    passed: json.numPassedTests,
    // A suite that fails to load counts as a failure even though it ran no test.
    failed: json.numFailedTests + json.numRuntimeErrorTestSuites,
    skipped: json.numPendingTests + json.numTodoTests,
    exitCode: code,
  };
}

function usesVitest(workspace: string): boolean {
  const file = join(root, workspace, 'package.json');
  if (!existsSync(file)) return false;
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { scripts?: Record<string, string> };
  return pkg.scripts?.test?.includes('vitest') === true;
}

/** Vitest, for the web workspace once it exists; its JSON report has Jest's counters. */
async function runVitest(workspace: string): Promise<RunnerTotals> {
  const output = join(resultsDir, `vitest-${workspace}.json`);
  const code = await run(process.execPath, [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--root',
    join(root, workspace),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${output}`,
  ]);
  if (!existsSync(output))
    return {
      runner: `vitest (${workspace})`,
      passed: 0,
      failed: 1,
      skipped: 0,
      exitCode: code || 1,
    };
  const json = JSON.parse(readFileSync(output, 'utf8')) as JestJson;
  return {
    runner: `vitest (${workspace})`,
    passed: json.numPassedTests,
    failed: json.numFailedTests,
    skipped: json.numPendingTests + json.numTodoTests,
    exitCode: code,
  };
}

/** Settings that `platform up` recorded in .local/env after this process started. */
function loadLocalEnv(): void {
  const file = join(root, '.local', 'env');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0 && process.env[line.slice(0, at)] === undefined)
      process.env[line.slice(0, at)] = line.slice(at + 1);
  }
}

/**
 * The end-to-end suites on the full local cluster: `platform up` (the first run builds the
 * cluster's binaries and the images) and `gitops up` (Argo CD), then jest.platform.config.js, then `platform down` unless
 * UMS_KEEP_SERVERS is set. A platform that fails to start counts as one failed test.
 */
async function runPlatformSuites(): Promise<RunnerTotals> {
  const wasUp = existsSync(join(root, '.local', 'run', 'kubelet.pid'));
  console.log('==> the full local cluster for the platform end-to-end tests');
  process.env.UMS_PLATFORM_INSTANCE = '0';
  // --reset: a fresh etcd, since the operator suites leave test instances whose pods would run.
  let up = await run('bash', ['scripts/ums.sh', 'platform', 'up', '--reset']);
  // Argo CD's controller and repo server, for the GitOps suite (cdk8s/src/gitops-sync.platform.test.ts).
  if (up === 0) up = await run('bash', ['scripts/ums.sh', 'gitops', 'up']);
  if (up !== 0)
    return { runner: 'jest (platform)', passed: 0, failed: 1, skipped: 0, exitCode: up };
  loadLocalEnv();
  const totals = await runJest(
    ['--config', 'jest.platform.config.js', '--runInBand'],
    'jest-platform',
  );
  keepPodLogs();
  if (!wasUp && !process.env.UMS_KEEP_SERVERS)
    await run('bash', ['scripts/ums.sh', 'platform', 'down']);
  return { ...totals, runner: 'jest (platform)' };
}

/** Our pods' logs outlive the cluster's teardown only as copies. */
function keepPodLogs(): void {
  if (!existsSync(podLogsDir)) return;
  for (const name of readdirSync(podLogsDir)) {
    if (ourNamespaces.test(name))
      cpSync(join(podLogsDir, name), join(logsDir, 'pods', name), { recursive: true });
  }
}

/**
 * No password, TOTP secret, recovery code, mailed token, refresh token or signed JWT in any log
 * line the run produced (scripts/src/stack/log-scan.ts); one passed test per clean file.
 */
async function runLogScan(): Promise<RunnerTotals> {
  // The demo users' passwords: the platform suites sign in with them.
  const seed = join(root, 'services/auth/src/data/demo-users.ts');
  const { demoUsers } = (await import(seed)) as { demoUsers: readonly { password: string }[] };
  mkdirSync(logsDir, { recursive: true });
  writeFileSync(
    join(logsDir, 'seed.secrets.json'),
    JSON.stringify(demoUsers.map((u) => u.password)),
  );
  const { files, findings } = scanLogs([logsDir]);
  console.log(`==> log scan: ${files} log files, ${findings.length} findings`);
  for (const f of findings) console.log(`    ${f.file}:${f.line} ${f.kind}: ${f.excerpt}`);
  const dirty = new Set(findings.map((f) => f.file)).size;
  const failed = files === 0 ? 1 : dirty;
  return {
    runner: 'log scan',
    passed: files - dirty,
    failed,
    skipped: 0,
    exitCode: failed ? 1 : 0,
  };
}

async function main(): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  rmSync(logsDir, { recursive: true, force: true });
  process.env.UMS_LOG_CAPTURE_DIR = logsDir;
  console.log(`==> tests on Node ${process.version}`);
  const args = process.argv.slice(2);
  const results: RunnerTotals[] = [await runJest(args)];
  // Extra arguments select Jest tests; a full run (no arguments) also runs the web app's Vitest suite.
  if (args.length === 0 && usesVitest('web')) results.push(await runVitest('web'));
  // UMS_PLATFORM_TESTS=0 skips the full cluster (a machine without root, or a quick local run).
  if (args.length === 0 && process.env.UMS_PLATFORM_TESTS !== '0')
    results.push(await runPlatformSuites());
  // A selection may start no stack: only a full run must have logs to scan.
  if (args.length === 0 || existsSync(logsDir)) results.push(await runLogScan());
  const total = sumTotals(results);
  for (const r of results) console.log(`    ${r.runner}: ${formatTotals(r)}`);
  console.log(formatTotals(total));
  const ok = total.failed === 0 && total.passed > 0 && results.every((r) => r.exitCode === 0);
  process.exitCode = ok ? 0 : 1;
}

await main();

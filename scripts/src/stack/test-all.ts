// `npm test`: runs every workspace's tests (unit, integration, operator, browser) against the
// real local servers that scripts/ums.sh has started, then prints one total over all runners.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTotals, sumTotals, type RunnerTotals } from './totals.ts';

const root = new URL('../../../', import.meta.url).pathname;
const resultsDir = join(root, '.local', 'test-results');

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

async function runJest(extraArgs: string[]): Promise<RunnerTotals> {
  const output = join(resultsDir, 'jest.json');
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
    return { runner: 'jest', passed: 0, failed: 1, skipped: 0, exitCode: code || 1 };
  const json = JSON.parse(readFileSync(output, 'utf8')) as JestJson;
  return {
    runner: 'jest',
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

async function main(): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  console.log(`==> tests on Node ${process.version}`);
  const args = process.argv.slice(2);
  const results: RunnerTotals[] = [await runJest(args)];
  // Extra arguments select Jest tests; a full run (no arguments) also runs the web app's Vitest suite.
  if (args.length === 0 && usesVitest('web')) results.push(await runVitest('web'));
  const total = sumTotals(results);
  for (const r of results) console.log(`    ${r.runner}: ${formatTotals(r)}`);
  console.log(formatTotals(total));
  const ok = total.failed === 0 && total.passed > 0 && results.every((r) => r.exitCode === 0);
  process.exitCode = ok ? 0 : 1;
}

await main();

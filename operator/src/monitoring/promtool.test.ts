// promtool for real over the committed files: the rules parse, every alert's unit tests pass,
// and every dashboard query is valid PromQL (checked as a recording rule).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { repoRoot } from '../install/render.ts';
import { dashboardExpressions } from './dashboards.ts';
import { rulesFile, rulesTestFile } from './render.ts';
import { alertDefinitions } from './rules.ts';

const run = promisify(execFile);
const promtool = process.env.PROMTOOL ?? '/usr/bin/promtool';

async function promtoolRun(...args: string[]): Promise<string> {
  if (!existsSync(promtool)) {
    throw new Error(
      `promtool not found at ${promtool}: install Debian's prometheus package (apt-get install prometheus) or set PROMTOOL`,
    );
  }
  try {
    const { stdout, stderr } = await run(promtool, args, { cwd: repoRoot });
    return stdout + stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `promtool ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? err.message}`,
      { cause: e },
    );
  }
}

describe('promtool', () => {
  test('when promtool checks the committed rules file, then every rule parses', async () => {
    const out = await promtoolRun('check', 'rules', rulesFile);
    expect(out).toContain(`SUCCESS: ${alertDefinitions.length} rules found`);
  });

  test('when promtool runs the committed unit tests, then every alert fires and stays quiet as its cases say', async () => {
    const out = await promtoolRun('test', 'rules', rulesTestFile);
    expect(out).toContain('SUCCESS');
  });

  test('when every dashboard query is checked as a recording rule, then each is valid PromQL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ums-dashboards-'));
    try {
      const exprs = dashboardExpressions();
      const file = join(dir, 'panels.rules.yaml');
      await writeFile(
        file,
        stringify({
          groups: [
            {
              name: 'panels',
              rules: exprs.map((e, i) => ({ record: `ums:panel_${i}`, expr: e.expr })),
            },
          ],
        }),
      );
      const out = await promtoolRun('check', 'rules', file);
      expect(out).toContain(`SUCCESS: ${exprs.length} rules found`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

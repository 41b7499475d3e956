// The health checks in argocd/health, run by the real Argo CD (`argocd admin settings
// resource-overrides health`, the same Lua engine as its controller) with the argocd-cm that
// every environment renders, against each case of health_test.yaml (Argo CD's own test format).
import { describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { distDir } from './app.ts';

const run = promisify(execFile);
const healthDir = fileURLToPath(new URL('../../argocd/health/', import.meta.url));
const argocd = process.env.ARGOCD_BIN;
if (!argocd)
  throw new Error('ARGOCD_BIN is not set: run through `npm test` (scripts/ums.sh builds Argo CD)');

interface HealthCase {
  healthStatus: { status: string; message?: string };
  inputPath: string;
}

async function assess(resource: string): Promise<{ status: string; message: string }> {
  const { stdout } = await run(argocd ?? '', [
    'admin',
    'settings',
    'resource-overrides',
    'health',
    resource,
    '--argocd-cm-path',
    join(distDir, 'dev', 'argocd-cm.yaml'),
  ]);
  const field = (name: string) => new RegExp(`^${name}: ?(.*)$`, 'm').exec(stdout)?.[1] ?? '';
  return { status: field('STATUS'), message: field('MESSAGE') };
}

describe.each(['platform.ums.dev/UserManagementInstance', 'argoproj.io/Application'])(
  '%s',
  (kind) => {
    const dir = join(healthDir, kind);
    const { tests } = parse(readFileSync(join(dir, 'health_test.yaml'), 'utf8')) as {
      tests: HealthCase[];
    };

    test.each(tests.map((t) => [t.inputPath, t] as const))(
      '%s',
      async (_name, { healthStatus, inputPath }) => {
        expect(await assess(join(dir, inputPath))).toEqual({
          status: healthStatus.status,
          message: healthStatus.message ?? '',
        });
      },
    );
  },
);

test('every environment renders the same health checks', () => {
  const dev = readFileSync(join(distDir, 'dev', 'argocd-cm.yaml'), 'utf8')
    .split('\n')
    .slice(1);
  for (const env of ['staging', 'prod']) {
    expect(
      readFileSync(join(distDir, env, 'argocd-cm.yaml'), 'utf8')
        .split('\n')
        .slice(1),
    ).toEqual(dev);
  }
});

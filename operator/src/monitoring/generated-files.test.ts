import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../install/render.ts';
import { dashboardsDir, renderMonitoringFiles } from './render.ts';

test('when the rules and dashboards are rendered, then every committed file under monitoring/ matches (run `node operator/scripts/generate.ts` if not)', async () => {
  const files = await renderMonitoringFiles();
  expect(files.size).toBeGreaterThanOrEqual(9);
  for (const [path, expected] of files) {
    const actual = await readFile(join(repoRoot, path), 'utf8').catch(() => '(missing)');
    expect({ path, content: actual }).toEqual({ path, content: expected });
  }
  // A dashboard dropped from the TypeScript leaves no JSON behind for Grafana to load.
  const committed = (await readdir(join(repoRoot, dashboardsDir))).map(
    (f) => `${dashboardsDir}/${f}`,
  );
  expect(committed.sort()).toEqual(
    [...files.keys()].filter((p) => p.startsWith(dashboardsDir)).sort(),
  );
});

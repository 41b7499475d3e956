// Writes the CRD, RBAC and operator manifests under operator/config/, the Helm chart's generated
// files (CRD, RBAC rules, values.schema.json), docs/crd-reference.md and monitoring/ (alert rules,
// their promtool tests, Grafana dashboards) from the TypeScript definitions.
// Run: node operator/scripts/generate.ts
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderGeneratedFiles, repoRoot } from '../src/install/render.ts';
import { renderMonitoringFiles } from '../src/monitoring/render.ts';

for (const [path, content] of [
  ...(await renderGeneratedFiles()),
  ...(await renderMonitoringFiles()),
]) {
  const target = join(repoRoot, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  process.stdout.write(`wrote ${path}\n`);
}

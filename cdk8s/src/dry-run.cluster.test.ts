// Every rendered file, server-side dry-run applied to the real local kube-apiserver: the API
// server's own validation (OpenAPI schemas, the CRD's CEL rules, Argo CD's and the Prometheus
// Operator's CRDs) says whether Argo CD could apply it. Nothing is created but the CRDs and the
// namespaces the objects live in.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectl } from '@ums/operator/src/test-support/cluster.ts';
import { argocdNamespace, distDir } from './app.ts';
import { environments } from './environments.ts';

const manifests = process.env.ARGOCD_MANIFESTS;
const prometheusCrds = process.env.PROMETHEUS_OPERATOR_CRDS;

beforeAll(async () => {
  if (!manifests || !prometheusCrds)
    throw new Error(
      'ARGOCD_MANIFESTS and PROMETHEUS_OPERATOR_CRDS are not set: run through `npm test`',
    );
  const crds = [
    `${manifests}/crds/application-crd.yaml`,
    `${manifests}/crds/appproject-crd.yaml`,
    ...['servicemonitors', 'podmonitors', 'prometheusrules'].map(
      (k) => `${prometheusCrds}/monitoring.coreos.com_${k}.yaml`,
    ),
    join(distDir, 'dev', 'crds.yaml'),
  ];
  await kubectl('apply', '--server-side', '--force-conflicts', ...crds.flatMap((f) => ['-f', f]));
  await kubectl('wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all');
  const namespaces = new Set([
    argocdNamespace,
    'ums-system',
    ...environments.map((e) => e.instance.namespace),
  ]);
  for (const ns of namespaces) {
    await kubectl('create', 'namespace', ns).catch((e: Error) => {
      if (!/AlreadyExists/.test(e.message)) throw e;
    });
  }
}, 120_000);

describe.each(environments.map((e) => e.name))('cdk8s/dist/%s', (env) => {
  // The committed files, as Argo CD reads them (render.test.ts keeps them current).
  const files = readdirSync(join(distDir, env)).sort();

  test.each(files)(
    '%s: the API server accepts every object (server-side dry run)',
    async (file) => {
      const out = await kubectl(
        'apply',
        '--server-side',
        '--force-conflicts',
        '--dry-run=server',
        '-f',
        join(distDir, env, file),
      );
      const lines = out.trim().split('\n');
      expect(lines.length).toBeGreaterThan(0);
      expect(
        lines.every((l) =>
          /(serverside-applied|created|configured|unchanged) \(server dry run\)$/.test(l),
        ),
      ).toBe(true);
    },
  );
});

test('a spec the CRD refuses is refused in a dry run too (the check above can fail)', async () => {
  const text = readFileSync(join(distDir, 'dev', 'instance.yaml'), 'utf8').replace(
    'version: 0.1.0',
    'version: not-semver',
  );
  const dir = mkdtempSync(join(tmpdir(), 'ums-dry-run-'));
  writeFileSync(join(dir, 'instance.yaml'), text);
  await expect(
    kubectl('apply', '--server-side', '--dry-run=server', '-f', join(dir, 'instance.yaml')),
  ).rejects.toThrow(/must be a semantic version/);
});

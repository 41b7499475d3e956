import { buildCrd, openApiSchema, printerColumns } from './crd.ts';
import type { SchemaNode } from './crd.ts';
import * as names from './group.ts';

function walk(
  node: SchemaNode,
  path: string,
  visit: (node: SchemaNode, path: string) => void,
): void {
  visit(node, path);
  for (const [key, child] of Object.entries(node.properties ?? {}))
    walk(child, `${path}.${key}`, visit);
  if (node.items) walk(node.items, `${path}[]`, visit);
  if (typeof node.additionalProperties === 'object')
    walk(node.additionalProperties, `${path}{}`, visit);
}

const spec = openApiSchema().properties?.spec as SchemaNode;
const status = openApiSchema().properties?.status as SchemaNode;

test('when the schema is generated, then every field of spec and status has a description and a type', () => {
  const missing: string[] = [];
  for (const [root, node] of [
    ['spec', spec],
    ['status', status],
  ] as const) {
    walk(node, root, (n, path) => {
      const isListItem = path.endsWith('[]') || path.endsWith('{}');
      if (!n.type) missing.push(`${path}: type`);
      if (!isListItem && !n.description) missing.push(`${path}: description`);
    });
  }
  expect(missing).toEqual([]);
});

test('when the schema is generated, then it is structural: no additionalProperties next to properties', () => {
  walk(spec, 'spec', (n, path) => {
    if (n.properties)
      expect({ path, additionalProperties: n.additionalProperties }).toEqual({
        path,
        additionalProperties: undefined,
      });
  });
});

test('when the schema is generated, then the CEL rules the issue asks for are on the right fields', () => {
  const rules = (node: SchemaNode | undefined) =>
    ((node?.['x-kubernetes-validations'] as { rule: string }[] | undefined) ?? []).map(
      (r) => r.rule,
    );
  const auth = spec.properties?.components?.properties?.auth;
  expect(rules(auth?.properties?.autoscaling)).toContain('self.minReplicas <= self.maxReplicas');
  for (const db of ['postgres', 'mongodb', 'redis']) {
    expect(rules(spec.properties?.databases?.properties?.[db])).toContain(
      'has(self.managed) != has(self.external)',
    );
  }
  expect(rules(spec.properties?.ingress?.properties?.host)[0]).toMatch(/^self\.matches\(/);
});

test('when the CRD is built, then it is namespaced v1alpha1 with the umi short name, a status subresource and the four printer columns', () => {
  const crd = buildCrd() as {
    spec: {
      scope: string;
      names: { shortNames: string[] };
      versions: { name: string; subresources: unknown }[];
    };
  };
  expect(crd.spec.scope).toBe('Namespaced');
  expect(crd.spec.names.shortNames).toEqual(['umi']);
  expect(crd.spec.versions[0]).toMatchObject({ name: names.version, subresources: { status: {} } });
  expect(printerColumns.map((c) => c.name)).toEqual(['Ready', 'Version', 'Endpoint', 'Age']);
});

test('when an object has defaulted fields, then its own default is the fully defaulted value', () => {
  expect(spec.properties?.components?.properties?.web?.properties?.autoscaling?.default).toEqual({
    enabled: false,
    minReplicas: 2,
    maxReplicas: 10,
    targetCPUUtilizationPercentage: 70,
    scaleUpStabilizationSeconds: 120,
    scaleDownStabilizationSeconds: 300,
  });
});

import { externalDatabases, instanceRef } from '../test-support/instance.ts';
import { buildNetworkPolicies } from './network-policy.ts';

test('when databases are managed, then each accepts only the components that own its data and the migration Job', () => {
  const policies = buildNetworkPolicies(instanceRef());
  const allowed = Object.fromEntries(
    policies.map((p) => [
      p.metadata?.name,
      p.spec?.ingress?.[0]?._from?.[0]?.podSelector?.matchExpressions?.[0]?.values,
    ]),
  );
  expect(allowed['demo-postgres']).toEqual(['auth', 'migration']);
  expect(allowed['demo-mongodb']).toEqual(['profile', 'migration']);
  expect(allowed['demo-redis']).toEqual(['auth', 'profile']);
  expect(
    policies.find((p) => p.metadata?.name === 'demo-postgres')?.spec?.ingress?.[0]?.ports,
  ).toEqual([{ protocol: 'TCP', port: 5432 }]);
});

test('when a namespace selector is given, then only those namespaces reach the application pods', () => {
  const ref = instanceRef({
    networkPolicy: { ingressNamespaceSelector: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
  });
  const app = buildNetworkPolicies(ref).find((p) => p.metadata?.name === 'demo-app');
  expect(app?.spec?.ingress?.[0]?._from?.[0]).toEqual({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
  });
});

test('when databases are external or policies are off, then no database policy (or none at all) is built', () => {
  expect(
    buildNetworkPolicies(instanceRef({ databases: externalDatabases })).map(
      (p) => p.metadata?.name,
    ),
  ).toEqual(['demo-app']);
  expect(buildNetworkPolicies(instanceRef({ networkPolicy: { enabled: false } }))).toEqual([]);
});

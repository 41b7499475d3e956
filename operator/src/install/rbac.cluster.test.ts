// The generated RBAC, checked by the API server's own authorizer: the operator's ServiceAccount
// may do what reconciling needs and nothing that would let it read or change more.
import { jest } from '@jest/globals';
import { AuthorizationV1Api } from '@kubernetes/client-node';
import * as api from '../api/group.ts';
import { admin, installOperatorManifests } from '../test-support/cluster.ts';

jest.setTimeout(30_000);

const user = `system:serviceaccount:${api.operatorNamespace}:${api.operatorName}`;
const authz = admin.kc.makeApiClient(AuthorizationV1Api);

async function allowed(
  verb: string,
  resource: string,
  group = '',
  namespace = 'any-namespace',
  name?: string,
) {
  const review = await authz.createSubjectAccessReview({
    body: {
      spec: {
        user,
        groups: [
          'system:serviceaccounts',
          `system:serviceaccounts:${api.operatorNamespace}`,
          'system:authenticated',
        ],
        resourceAttributes: { verb, resource, group, namespace, ...(name ? { name } : {}) },
      },
    },
  });
  return review.status?.allowed ?? false;
}

beforeAll(async () => {
  await installOperatorManifests();
});

test.each([
  ['watch', api.plural, api.group],
  ['patch', `${api.plural}/status`, api.group],
  ['create', 'secrets', ''],
  ['get', 'secrets', ''],
  ['patch', 'deployments', 'apps'],
  ['create', 'statefulsets', 'apps'],
  ['patch', 'jobs', 'batch'],
  ['delete', 'horizontalpodautoscalers', 'autoscaling'],
  ['delete', 'persistentvolumeclaims', ''],
  ['create', 'events', ''],
  ['delete', 'configmaps', ''],
  ['watch', 'servicemonitors', 'monitoring.coreos.com'],
  ['patch', 'servicemonitors', 'monitoring.coreos.com'],
  ['delete', 'prometheusrules', 'monitoring.coreos.com'],
])('when the operator asks to %s %s, then it is allowed', async (verb, resource, group) => {
  expect(await allowed(verb, resource, group)).toBe(true);
});

test.each([
  ['list', 'secrets', ''],
  ['watch', 'secrets', ''],
  ['update', 'secrets', ''],
  ['patch', 'secrets', ''],
  ['delete', 'secrets', ''],
  ['delete', 'deployments', 'apps'],
  ['delete', 'jobs', 'batch'],
  ['create', 'pods', ''],
  ['create', 'pods/exec', ''],
  ['create', api.plural, api.group],
  ['delete', api.plural, api.group],
  ['patch', 'customresourcedefinitions', 'apiextensions.k8s.io'],
  ['create', 'rolebindings', 'rbac.authorization.k8s.io'],
  ['impersonate', 'serviceaccounts', ''],
  ['create', 'serviceaccounts/token', ''],
  ['create', 'podmonitors', 'monitoring.coreos.com'],
  ['create', 'prometheuses', 'monitoring.coreos.com'],
  ['create', 'alertmanagerconfigs', 'monitoring.coreos.com'],
])('when the operator asks to %s %s, then it is refused', async (verb, resource, group) => {
  expect(await allowed(verb, resource, group)).toBe(false);
});

test('when the operator touches Leases, then only its own Lease in its namespace can be read and renewed', async () => {
  const ns = api.operatorNamespace;
  expect(await allowed('update', 'leases', 'coordination.k8s.io', ns, api.leaseName)).toBe(true);
  expect(await allowed('update', 'leases', 'coordination.k8s.io', ns, 'kube-scheduler')).toBe(
    false,
  );
  expect(await allowed('get', 'leases', 'coordination.k8s.io', 'kube-system', api.leaseName)).toBe(
    false,
  );
});

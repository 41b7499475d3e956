// Least-privilege RBAC for the operator, generated next to the CRD. Each rule says why it is
// there; anything not listed is refused, and the tests run the operator under exactly this.
// Owned kinds need `create` as well as `patch`: a server-side apply that creates the object is
// authorised as a create.
import * as api from '../api/group.ts';

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

interface Documented extends PolicyRule {
  why: string;
}

export const clusterRules: Documented[] = [
  {
    why: 'watch instances; patch only to add or remove the clean-up finalizer',
    apiGroups: [api.group],
    resources: [api.plural],
    verbs: ['list', 'watch', 'patch'],
  },
  {
    why: 'write the status',
    apiGroups: [api.group],
    resources: [`${api.plural}/status`],
    verbs: ['patch'],
  },
  {
    why: 'set blockOwnerDeletion on children where OwnerReferencesPermissionEnforcement is on',
    apiGroups: [api.group],
    resources: [`${api.plural}/finalizers`],
    verbs: ['update'],
  },
  {
    why: 'generate credentials (create) and check that referenced ones exist (get); no list or watch, so the operator cannot enumerate Secrets, and no update, so it cannot overwrite them',
    apiGroups: [''],
    resources: ['secrets'],
    verbs: ['get', 'create'],
  },
  {
    why: 'owned children, applied with server-side apply (patch) and watched; delete removes Grafana dashboard ConfigMaps when spec.monitoring.grafanaDashboards is turned off',
    apiGroups: [''],
    resources: ['configmaps'],
    verbs: ['list', 'watch', 'create', 'patch', 'delete'],
  },
  {
    why: 'owned children; delete removes a managed database switched to external',
    apiGroups: [''],
    resources: ['services'],
    verbs: ['list', 'watch', 'create', 'patch', 'delete'],
  },
  {
    why: 'the finalizer deletes volume claims of managed databases with reclaimPolicy Delete',
    apiGroups: [''],
    resources: ['persistentvolumeclaims'],
    verbs: ['list', 'delete'],
  },
  { why: 'Events on instances', apiGroups: [''], resources: ['events'], verbs: ['create'] },
  {
    why: 'owned children',
    apiGroups: ['apps'],
    resources: ['deployments'],
    verbs: ['list', 'watch', 'create', 'patch'],
  },
  {
    why: 'owned children; delete removes a managed database switched to external',
    apiGroups: ['apps'],
    resources: ['statefulsets'],
    verbs: ['list', 'watch', 'create', 'patch', 'delete'],
  },
  {
    why: 'migration Jobs',
    apiGroups: ['batch'],
    resources: ['jobs'],
    verbs: ['list', 'watch', 'create', 'patch'],
  },
  {
    why: 'owned children; delete when autoscaling is turned off',
    apiGroups: ['autoscaling'],
    resources: ['horizontalpodautoscalers'],
    verbs: ['list', 'watch', 'create', 'patch', 'delete'],
  },
  {
    why: 'owned children; delete for managed databases switched to external',
    apiGroups: ['policy'],
    resources: ['poddisruptionbudgets'],
    verbs: ['list', 'watch', 'create', 'patch', 'delete'],
  },
  {
    why: 'owned children; delete when the spec turns them off',
    apiGroups: ['networking.k8s.io'],
    resources: ['ingresses', 'networkpolicies'],
    verbs: ['list', 'watch', 'create', 'patch', 'delete'],
  },
  {
    why: 'ServiceMonitors and the PrometheusRule (Prometheus Operator CRDs, when installed); delete when spec.monitoring turns them off. No PodMonitors: the operator creates none',
    apiGroups: ['monitoring.coreos.com'],
    resources: ['servicemonitors', 'prometheusrules'],
    verbs: ['list', 'watch', 'create', 'patch', 'delete'],
  },
];

export const leaseRules: Documented[] = [
  {
    why: 'create the Lease the first time (create cannot be limited to a name)',
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    verbs: ['create'],
  },
  {
    why: 'read and renew only the operator’s own Lease',
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    verbs: ['get', 'update'],
    resourceNames: [api.leaseName],
  },
];

const strip = (rules: Documented[]): PolicyRule[] => rules.map(({ why: _why, ...rule }) => rule);

const meta = (name: string, namespace?: string) => ({
  name,
  ...(namespace ? { namespace } : {}),
  labels: { [api.labels.name]: api.operatorName, [api.labels.partOf]: api.partOf },
});

export function buildServiceAccount(namespace = api.operatorNamespace) {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(api.operatorName, namespace) };
}

export function buildClusterRole(name = api.operatorName) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: meta(name),
    rules: strip(clusterRules),
  };
}

export function buildClusterRoleBinding(
  namespace = api.operatorNamespace,
  name = api.operatorName,
) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta(name),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name: api.operatorName, namespace }],
  };
}

export function buildLeaseRole(namespace = api.operatorNamespace) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta(`${api.operatorName}-leader-election`, namespace),
    rules: strip(leaseRules),
  };
}

export function buildLeaseRoleBinding(namespace = api.operatorNamespace) {
  const name = `${api.operatorName}-leader-election`;
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta(name, namespace),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name: api.operatorName, namespace }],
  };
}

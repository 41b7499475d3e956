// The Helm chart rendered by the real Helm (charts/ums-operator): lint, the defaults against the
// operator's own generated install, overrides, and values the schema refuses.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildCrd } from '../api/crd.ts';
import {
  find,
  helm,
  helmError,
  chartPath,
  parseObjects,
  renderChart,
} from '../test-support/helm.ts';
import type { K8sObject } from '../test-support/helm.ts';
import { buildOperatorDeployment, operatorImage } from './manager.ts';
import { buildClusterRole, buildLeaseRole } from './rbac.ts';

type Deployment = ReturnType<typeof buildOperatorDeployment>;
type Container = Deployment['spec']['template']['spec']['containers'][number];
type Rules = { rules: unknown[] } & K8sObject;

const generated = buildOperatorDeployment();
const generatedPod = generated.spec.template.spec;
const generatedContainer = generatedPod.containers[0] as Container;

const deploymentOf = (objects: K8sObject[]) => find(objects, 'Deployment') as unknown as Deployment;
const containerOf = (objects: K8sObject[]) =>
  deploymentOf(objects).spec.template.spec.containers[0] as Container;
const envValue = (container: Container, name: string) =>
  container.env.find((e) => e.name === name) as { value?: string } | undefined;

test('when the chart is linted with --strict, then Helm reports no warning or error', async () => {
  const output = await helm('lint', '--strict', chartPath);
  expect(output).toContain('1 chart(s) linted, 0 chart(s) failed');
  expect(output).not.toMatch(/\[(WARNING|ERROR)\]/);
});

test('when the values.yaml defaults are rendered, then the Deployment runs the same pod as operator/config/manager/deployment.yaml', async () => {
  const objects = await renderChart('ums', 'ums-system');
  const deployment = deploymentOf(objects);
  const pod = deployment.spec.template.spec;
  const container = containerOf(objects);

  expect(deployment.metadata.namespace).toBe('ums-system');
  expect(deployment.spec.replicas).toBe(2);
  expect(container.image).toBe(operatorImage);
  expect(pod.securityContext).toEqual(generatedPod.securityContext);
  expect(container.securityContext).toEqual(generatedContainer.securityContext);
  expect(container.livenessProbe).toEqual(generatedContainer.livenessProbe);
  expect(container.readinessProbe).toEqual(generatedContainer.readinessProbe);
  expect(container.ports).toEqual(generatedContainer.ports);
  expect(container.resources).toEqual(generatedContainer.resources);
  expect(container.env).toEqual(expect.arrayContaining(generatedContainer.env));
  const { labelSelector, ...spread } = pod.topologySpreadConstraints[0] ?? {};
  expect(spread).toEqual({
    ...generatedPod.topologySpreadConstraints[0],
    labelSelector: undefined,
  });
  expect(labelSelector).toEqual(deployment.spec.selector);
  expect(pod.serviceAccountName).toBe(find(objects, 'ServiceAccount').metadata.name);
});

test('when the chart is rendered, then its ClusterRole and Lease Role carry exactly the rules of rbac.ts, bound to its ServiceAccount', async () => {
  const objects = await renderChart('ums', 'team-ops');
  expect((find(objects, 'ClusterRole') as Rules).rules).toEqual(buildClusterRole().rules);
  expect((find(objects, 'Role') as Rules).rules).toEqual(buildLeaseRole().rules);
  const serviceAccount = find(objects, 'ServiceAccount').metadata.name;
  for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
    expect(find(objects, kind)).toMatchObject({
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace: 'team-ops' }],
    });
  }
});

test('when the chart is asked for its CRDs, then it has only the generated UserManagementInstance CRD', async () => {
  const crds = parseObjects(await helm('show', 'crds', chartPath));
  expect(crds).toEqual([JSON.parse(JSON.stringify(buildCrd()))]);
  const chart = parse(await readFile(join(chartPath, 'Chart.yaml'), 'utf8')) as Record<
    string,
    string
  >;
  expect(`ghcr.io/ums-platform/operator:${chart.appVersion}`).toBe(operatorImage);
});

test('when values are overridden, then the Deployment follows them', async () => {
  const objects = await renderChart(
    'ums',
    'ums-system',
    {
      'image.repository': 'registry.example.com/ums/operator',
      'image.tag': '0.2.0',
      'image.pullPolicy': 'Always',
      replicaCount: 3,
      logLevel: 'debug',
      watchNamespace: 'team-a',
      'metrics.port': 9090,
      'extraEnv[0].name': 'CONCURRENCY',
      'nodeSelector.kubernetes\\.io/os': 'linux',
      'resources.limits.memory': '1Gi',
    },
    '--set-string',
    'extraEnv[0].value=8',
  );
  const deployment = deploymentOf(objects);
  const container = containerOf(objects);
  expect(deployment.spec.replicas).toBe(3);
  expect(container).toMatchObject({
    image: 'registry.example.com/ums/operator:0.2.0',
    imagePullPolicy: 'Always',
    ports: [{ name: 'http', containerPort: 9090 }],
    resources: { limits: { memory: '1Gi', cpu: '1' } },
  });
  expect(envValue(container, 'LOG_LEVEL')?.value).toBe('debug');
  expect(envValue(container, 'WATCH_NAMESPACE')?.value).toBe('team-a');
  expect(envValue(container, 'HTTP_PORT')?.value).toBe('9090');
  expect(envValue(container, 'CONCURRENCY')?.value).toBe('8');
  expect(deployment.spec.template.spec).toMatchObject({
    nodeSelector: { 'kubernetes.io/os': 'linux' },
  });
});

test('when leader election is off, then there is no Lease Role and the chart refuses more than one replica', async () => {
  const single = await renderChart('ums', 'ums-system', {
    'leaderElection.enabled': false,
    replicaCount: 1,
  });
  expect(single.map((o) => o.kind)).not.toContain('Role');
  expect(envValue(containerOf(single), 'LEADER_ELECT')?.value).toBe('false');
  expect(
    await helmError('template', 'ums', chartPath, '--set', 'leaderElection.enabled=false'),
  ).toContain(
    'leaderElection.enabled=false makes every replica reconcile: set replicaCount to 0 or 1',
  );
});

test('when an existing ServiceAccount is used, then the chart creates none and binds the RBAC to it, and insists on its name', async () => {
  const objects = await renderChart('ums', 'ums-system', {
    'serviceAccount.create': false,
    'serviceAccount.name': 'platform-operator',
  });
  expect(objects.map((o) => o.kind)).not.toContain('ServiceAccount');
  expect(deploymentOf(objects).spec.template.spec.serviceAccountName).toBe('platform-operator');
  expect(find(objects, 'ClusterRoleBinding')).toMatchObject({
    subjects: [{ name: 'platform-operator' }],
  });
  expect(
    await helmError('template', 'ums', chartPath, '--set', 'serviceAccount.create=false'),
  ).toContain('serviceAccount.name is required when serviceAccount.create is false');
});

test.each([
  ['replicaCount=-1', "at '/replicaCount': minimum: got -1, want 0"],
  ['logLevel=verbose', "at '/logLevel': value must be one of 'fatal', 'error', 'warn', 'info'"],
  ['image.pullPolicy=Sometimes', "at '/image/pullPolicy': value must be one of 'Always'"],
  ['replicas=3', "additional properties 'replicas' not allowed"],
  ['resources.limit.cpu=2', "at '/resources': additional properties 'limit' not allowed"],
  ['metrics.port=70000', "at '/metrics/port': maximum: got 70,000, want 65,535"],
  [
    'extraEnv[0].name=CONCURRENCY,extraEnv[0].value=8',
    "at '/extraEnv/0/value': got number, want string",
  ],
])('when %s is set, then the schema refuses it, naming the value', async (set, message) => {
  const error = await helmError('template', 'ums', chartPath, '--set', set);
  expect(error).toContain("values don't meet the specifications of the schema");
  expect(error).toContain(message);
});

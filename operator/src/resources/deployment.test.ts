import * as api from '../api/group.ts';
import { externalDatabases, instanceRef } from '../test-support/instance.ts';
import { buildDeployment } from './deployment.ts';

test('when auth is built, then it runs the version image with seed resources, probes, preStop drain and zero-downtime rollout', () => {
  const deployment = buildDeployment(instanceRef(), 'auth', '1.3.0');
  const pod = deployment.spec?.template.spec;
  const container = pod?.containers[0];
  expect(deployment.metadata?.name).toBe('demo-auth');
  expect(deployment.spec?.replicas).toBe(2);
  expect(container?.image).toBe('ghcr.io/ums-platform/auth:1.3.0');
  expect(deployment.spec?.template.metadata?.labels?.[api.labels.version]).toBe('1.3.0');
  expect(container?.resources).toEqual({
    requests: { cpu: '250m', memory: '256Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  });
  expect(container?.readinessProbe?.httpGet?.path).toBe('/ready');
  expect(container?.startupProbe?.httpGet?.path).toBe('/health');
  expect(container?.lifecycle?.preStop?.sleep?.seconds).toBe(5);
  expect(pod?.terminationGracePeriodSeconds).toBeGreaterThan(5 + 20);
  expect(deployment.spec?.strategy?.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
  expect(pod?.topologySpreadConstraints?.[0]).toMatchObject({
    topologyKey: 'topology.kubernetes.io/zone',
    matchLabelKeys: ['pod-template-hash'],
  });
  expect(pod?.automountServiceAccountToken).toBe(false);
});

test('when any component is built, then it runs as non-root on a read-only root file system with no capabilities', () => {
  for (const component of ['auth', 'profile', 'web'] as const) {
    const pod = buildDeployment(instanceRef(), component, '1.0.0').spec?.template.spec;
    expect(pod?.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod?.containers[0]?.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod?.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  }
});

test('when autoscaling is on, then the Deployment leaves the replica count to the autoscaler', () => {
  const ref = instanceRef({ components: { web: { autoscaling: { enabled: true } } } });
  expect(buildDeployment(ref, 'web', '1.0.0').spec).not.toHaveProperty('replicas');
});

test('when databases are external, then credentials come from the referenced Secrets and never appear as values', () => {
  const ref = instanceRef({
    databases: externalDatabases,
    oidcProviders: [
      {
        name: 'google-workspace',
        issuerURL: 'https://accounts.google.com',
        clientID: 'id',
        clientSecret: { name: 'oidc' },
      },
    ],
  });
  const env = buildDeployment(ref, 'auth', '1.0.0').spec?.template.spec?.containers[0]?.env ?? [];
  const byName = Object.fromEntries(env.map((e) => [e.name, e]));
  expect(byName.POSTGRES_PASSWORD?.valueFrom?.secretKeyRef).toEqual({
    name: 'rds',
    key: 'password',
  });
  expect(byName.DATABASE_URL?.value).toBe(
    'postgres://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@pg.example.com:5432/ums?sslmode=require',
  );
  expect(byName.REDIS_URL?.value).toBe('rediss://:$(REDIS_PASSWORD)@cache.example.com:6379');
  expect(byName.OIDC_GOOGLE_WORKSPACE_CLIENT_SECRET?.valueFrom?.secretKeyRef).toEqual({
    name: 'oidc',
    key: 'clientSecret',
  });
  // Declared after the variable it expands, as Kubernetes requires.
  expect(env.findIndex((e) => e.name === 'OIDC_PROVIDERS')).toBeGreaterThan(
    env.findIndex((e) => e.name === 'OIDC_GOOGLE_WORKSPACE_CLIENT_SECRET'),
  );
  expect(JSON.parse(byName.OIDC_PROVIDERS?.value ?? '[]')).toEqual([
    {
      id: 'google-workspace',
      name: 'google-workspace',
      issuer: 'https://accounts.google.com',
      clientId: 'id',
      clientSecret: '$(OIDC_GOOGLE_WORKSPACE_CLIENT_SECRET)',
      scopes: ['openid', 'email', 'profile'],
    },
  ]);
  expect(env.filter((e) => e.value !== undefined && /PASSWORD|SECRET|KEK/.test(e.name))).toEqual(
    [],
  );
});

test('when the settings change, then the pod template changes so pods restart', () => {
  const before = buildDeployment(instanceRef(), 'profile', '1.0.0');
  const after = buildDeployment(
    instanceRef({ security: { lockout: { maxAttempts: 10 } } }),
    'profile',
    '1.0.0',
  );
  expect(after.spec?.template.metadata?.annotations).not.toEqual(
    before.spec?.template.metadata?.annotations,
  );
});

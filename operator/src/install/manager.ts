// The operator's own install: its namespace and a Deployment of two replicas (one leads, one
// stands by), restricted like the pods it manages.
import * as api from '../api/group.ts';

const labels = { [api.labels.name]: api.operatorName, [api.labels.partOf]: api.partOf };

export const operatorImage = 'ghcr.io/ums-platform/operator:0.1.0';

export function buildNamespace() {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: api.operatorNamespace,
      labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'restricted' },
    },
  };
}

const fromField = (name: string, fieldPath: string) => ({
  name,
  valueFrom: { fieldRef: { fieldPath } },
});

const probe = (path: string) => ({
  httpGet: { path, port: 'http' },
  periodSeconds: 10,
  timeoutSeconds: 2,
  failureThreshold: 3,
});

export function buildOperatorDeployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: api.operatorName, namespace: api.operatorNamespace, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { [api.labels.name]: api.operatorName } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: api.operatorName,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          // Spread the two replicas so one node failure never takes both.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { [api.labels.name]: api.operatorName } },
            },
          ],
          containers: [
            {
              name: 'operator',
              image: operatorImage,
              env: [
                fromField('POD_NAME', 'metadata.name'),
                fromField('POD_NAMESPACE', 'metadata.namespace'),
                // Bounds the V8 heap below the memory limit; the caches need about 0.35 MiB per
                // instance (docs/operator.md, "Benchmarks").
                { name: 'NODE_OPTIONS', value: '--max-old-space-size=384' },
              ],
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              livenessProbe: probe('/healthz'),
              readinessProbe: probe('/readyz'),
              resources: {
                requests: { cpu: '100m', memory: '256Mi' },
                limits: { cpu: '1', memory: '640Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
        },
      },
    },
  };
}

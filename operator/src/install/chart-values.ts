// The Helm chart's values (charts/ums-operator) as zod: the source of the chart's generated
// values.schema.json. Defaults live in the chart's documented values.yaml, not here; every key is
// required and objects are strict, so `helm lint` fails when values.yaml and this drift apart, and
// a mistyped key in a user's values is refused instead of silently ignored.
import { z } from 'zod';
import { logLevels } from '@ums/service-kit/config';

/** Kubernetes objects the chart passes through unchanged (the API server validates them). */
const k8sObject = (description: string) => z.record(z.string(), z.unknown()).describe(description);
const k8sList = (description: string) =>
  z.array(z.record(z.string(), z.unknown())).describe(description);
const stringMap = (description: string) => z.record(z.string(), z.string()).describe(description);
const quantities = z.record(z.string(), z.union([z.string(), z.number()]));
const milliseconds = z.int().positive();

export const chartValuesSchema = z
  .strictObject({
    global: z.record(z.string(), z.unknown()).optional().describe('Set by Helm for parent charts.'),
    nameOverride: z.string().describe('Replaces the chart name in object names.'),
    fullnameOverride: z.string().describe('Replaces the whole object name prefix.'),
    replicaCount: z
      .int()
      .min(0)
      .describe('Operator replicas: one leads and reconciles, the others stand by.'),
    image: z.strictObject({
      repository: z.string().min(1).describe('The operator image without its tag.'),
      tag: z.string().describe("The image tag; empty means the chart's appVersion."),
      pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']),
    }),
    imagePullSecrets: z
      .array(z.strictObject({ name: z.string().min(1) }))
      .describe('Secrets for a private registry.'),
    serviceAccount: z.strictObject({
      create: z.boolean().describe('Create the ServiceAccount; false uses an existing one.'),
      name: z.string().describe('Its name; empty means the release full name.'),
      annotations: stringMap('Annotations, e.g. for workload identity.'),
    }),
    rbac: z.strictObject({
      create: z
        .boolean()
        .describe(
          "Create the ClusterRole, the Lease Role and their bindings (the operator's generated rules).",
        ),
    }),
    leaderElection: z.strictObject({
      enabled: z
        .boolean()
        .describe('Campaign for the Lease before reconciling; false allows one replica only.'),
      leaseDurationMs: milliseconds,
      renewDeadlineMs: milliseconds,
      retryPeriodMs: milliseconds,
    }),
    logLevel: z.enum(logLevels).describe('The operator’s log level.'),
    watchNamespace: z.string().describe('Watch one namespace only; empty watches all.'),
    metrics: z.strictObject({
      port: z
        .int()
        .min(1)
        .max(65535)
        .describe('The container port of /metrics, /healthz and /readyz.'),
    }),
    nodeOptions: z.string().describe('NODE_OPTIONS; keep the heap bound below the memory limit.'),
    extraEnv: z
      // Kubernetes refuses a number as a value, which `--set` makes of "8": say so here.
      .array(z.looseObject({ name: z.string().min(1), value: z.string().optional() }))
      .describe('More environment variables (EnvVar objects), e.g. CONCURRENCY.'),
    resources: z
      .strictObject({ requests: quantities.optional(), limits: quantities.optional() })
      .describe('Container resources.'),
    podSecurityContext: k8sObject('The pod securityContext.'),
    securityContext: k8sObject("The operator container's securityContext."),
    podAnnotations: stringMap('Pod annotations.'),
    podLabels: stringMap('Extra pod labels.'),
    priorityClassName: z.string().describe('The pods’ PriorityClass; empty for none.'),
    nodeSelector: stringMap('Node labels the pods must match.'),
    tolerations: k8sList('Pod tolerations.'),
    affinity: k8sObject('Pod affinity.'),
    topologySpreadConstraints: k8sList(
      "Spread constraints; one without labelSelector gets the chart's pod selector.",
    ),
  })
  .describe('Values of the ums-operator Helm chart.');

export type ChartValues = z.input<typeof chartValuesSchema>;

/** The JSON Schema Helm checks values against, without zod's safe-integer bounds (noise). */
export function buildValuesSchema(): Record<string, unknown> {
  return z.toJSONSchema(chartValuesSchema, {
    io: 'input',
    override: ({ jsonSchema }) => {
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    },
  });
}

// Schema of one application component (auth, profile, web): replicas, resources, autoscaling.
import { z } from 'zod';
import type { AutoscalingDefaults, ComponentDefaults, ResourceDefaults } from './defaults.ts';
import { field, quantity } from './schema-primitives.ts';

function resourceList(defaults: { cpu: string; memory: string }, what: string) {
  return field(
    z
      .object({
        cpu: quantity(`CPU ${what}.`, '250m').default(defaults.cpu),
        memory: quantity(`Memory ${what}.`, '256Mi').default(defaults.memory),
      })
      .prefault({}),
    `CPU and memory ${what}.`,
  );
}

const requestsWithinLimits = ['cpu', 'memory'].map((resource) => ({
  rule: `!isQuantity(self.requests.${resource}) || !isQuantity(self.limits.${resource}) || quantity(self.requests.${resource}).compareTo(quantity(self.limits.${resource})) <= 0`,
  message: `requests.${resource} must not exceed limits.${resource}`,
  messageExpression: `'requests.${resource} (' + self.requests.${resource} + ') must not exceed limits.${resource} (' + self.limits.${resource} + ')'`,
  fieldPath: `.requests.${resource}`,
}));

export function resources(defaults: ResourceDefaults) {
  return field(
    z
      .object({
        requests: resourceList(defaults.requests, 'requested (reserved for scheduling)'),
        limits: resourceList(
          defaults.limits,
          'limit (the container is throttled or killed above it)',
        ),
      })
      .prefault({}),
    'Container resources. Defaults come from the platform sizing table.',
    { rules: requestsWithinLimits },
  );
}

function percentage() {
  return z.int().min(1).max(100);
}

const memoryTargetDescription =
  'Average memory utilisation (percent of requests) the autoscaler aims for. Leave unset to scale on CPU only.';

function autoscaling(d: AutoscalingDefaults) {
  return field(
    z
      .object({
        enabled: field(
          z.boolean().default(false),
          'Run a HorizontalPodAutoscaler for this component; `replicas` is then ignored.',
        ),
        minReplicas: field(z.int().min(1).max(1000).default(d.minReplicas), 'Fewest replicas.'),
        maxReplicas: field(z.int().min(1).max(1000).default(d.maxReplicas), 'Most replicas.'),
        targetCPUUtilizationPercentage: field(
          percentage().default(d.targetCPUUtilizationPercentage),
          'Average CPU utilisation (percent of requests) the autoscaler aims for.',
        ),
        targetMemoryUtilizationPercentage: field(
          d.targetMemoryUtilizationPercentage === undefined
            ? percentage().optional()
            : percentage().default(d.targetMemoryUtilizationPercentage),
          memoryTargetDescription,
        ),
        scaleUpStabilizationSeconds: field(
          z.int().min(0).max(3600).default(d.scaleUpStabilizationSeconds),
          'How long load must stay high before scaling up.',
        ),
        scaleDownStabilizationSeconds: field(
          z.int().min(0).max(3600).default(d.scaleDownStabilizationSeconds),
          'Cooldown: how long load must stay low before scaling down.',
        ),
      })
      .prefault({}),
    'Horizontal autoscaling on CPU and optionally memory utilisation.',
    {
      rules: [
        {
          rule: 'self.minReplicas <= self.maxReplicas',
          // A static message: CEL's cost estimator treats string(int) as unbounded.
          message: 'minReplicas must be less than or equal to maxReplicas',
          fieldPath: '.minReplicas',
        },
      ],
    },
  );
}

export function componentSchema(name: string, d: ComponentDefaults) {
  return field(
    z
      .object({
        replicas: field(
          z.int().min(0).max(1000).default(d.replicas),
          'Number of pods when autoscaling is off.',
        ),
        image: field(
          z.string().min(1).max(512).optional(),
          `Full image reference for ${name}; by default \`<imageRegistry>/${name}:<version>\`.`,
        ),
        resources: resources(d.resources),
        autoscaling: autoscaling(d.autoscaling),
      })
      .prefault({}),
    `The ${name} component.`,
  );
}

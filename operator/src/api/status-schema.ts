// The UserManagementInstance status, written only by the operator (status subresource).
import { z } from 'zod';
import { field } from './schema-primitives.ts';

export const conditionTypes = [
  'Ready',
  'Progressing',
  'Degraded',
  'PostgresReady',
  'MongoDBReady',
  'RedisReady',
  'MonitoringReady',
] as const;
export type ConditionType = (typeof conditionTypes)[number];

export const conditionSchema = z.object({
  type: field(z.string().max(316), `One of ${conditionTypes.join(', ')}.`),
  status: field(z.enum(['True', 'False', 'Unknown']), 'Whether the condition holds.'),
  reason: field(z.string().max(1024), 'One CamelCase word saying why.'),
  message: field(z.string().max(32768), 'What a person should know, in a sentence.'),
  lastTransitionTime: field(
    z.string().meta({ format: 'date-time' }),
    'When `status` last changed (not when reason or message changed).',
  ),
  observedGeneration: field(
    z.int().min(0).optional(),
    'The `.metadata.generation` the condition was computed from.',
  ),
});
export type Condition = z.output<typeof conditionSchema>;

const componentStatusSchema = field(
  z.object({
    image: field(z.string().optional(), 'Image the Deployment runs.'),
    desiredReplicas: field(z.int().optional(), 'Replicas the Deployment asks for.'),
    readyReplicas: field(z.int().optional(), 'Replicas passing their readiness probe.'),
    updatedReplicas: field(z.int().optional(), 'Replicas already on the current pod template.'),
  }),
  'Rollout state of one component.',
);

export const instanceStatusSchema = field(
  z.object({
    observedGeneration: field(
      z.int().min(0).optional(),
      'The `.metadata.generation` this status describes.',
    ),
    conditions: field(
      z.array(conditionSchema).max(16).optional(),
      'Current state, one entry per type.',
      {
        extra: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] },
      },
    ),
    version: field(
      z.string().optional(),
      'Version the auth Deployment runs, that is, the last version whose schema migration completed and rolled out.',
    ),
    endpoint: field(z.string().optional(), 'Public URL of the instance.'),
    components: field(
      z
        .object({
          auth: componentStatusSchema.optional(),
          profile: componentStatusSchema.optional(),
          web: componentStatusSchema.optional(),
        })
        .optional(),
      'Per component: image and replica counts.',
    ),
  }),
  'Observed state, written by the operator.',
);

export type InstanceStatus = z.output<typeof instanceStatusSchema>;
export type ComponentStatus = NonNullable<NonNullable<InstanceStatus['components']>['auth']>;

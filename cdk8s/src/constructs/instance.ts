// One UserManagementInstance and its namespace. The spec is checked at synth time against the
// operator's own schema (the zod definition the CRD is generated from), so a typo fails
// `npm run synth` with the field's path instead of reaching the cluster.
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { z } from 'zod';
import * as api from '@ums/operator/src/api/group.ts';
import { instanceSpecSchema } from '@ums/operator/src/api/instance-schema.ts';
import { waveAnnotations } from '../sync-waves.ts';

/** The spec as written in a manifest: defaults left to the API server. */
export type InstanceSpecInput = z.input<typeof instanceSpecSchema>;

export interface InstanceProps {
  /** Name of the instance; its children are named `<name>-<component>`. */
  readonly name: string;
  /** Namespace the instance and everything it runs live in; created here. */
  readonly namespace: string;
  /** The desired state, as in operator/examples/*.yaml. */
  readonly spec: InstanceSpecInput;
}

export class InvalidInstanceSpecError extends Error {
  override name = 'InvalidInstanceSpecError';
}

/** Validates `spec` with the operator's schema; throws naming every wrong field. */
export function checkInstanceSpec(name: string, spec: InstanceSpecInput): void {
  const result = instanceSpecSchema.safeParse(spec);
  if (result.success) return;
  const problems = result.error.issues.map((i) => `spec.${i.path.join('.')}: ${i.message}`);
  throw new InvalidInstanceSpecError(`instance ${name}: ${problems.join('; ')}`);
}

/** A namespace with the restricted Pod Security level, and the instance in it. */
export class UserManagementInstance extends Construct {
  /** The custom resource. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: InstanceProps) {
    super(scope, id);
    checkInstanceSpec(props.name, props.spec);
    const namespace = new kplus.Namespace(this, 'namespace', {
      metadata: {
        name: props.namespace,
        // Every pod the operator creates meets the restricted level (operator/src/resources/pod.ts).
        labels: {
          [api.labels.partOf]: api.partOf,
          'pod-security.kubernetes.io/enforce': 'restricted',
        },
        annotations: waveAnnotations('instance'),
      },
    });
    this.resource = new ApiObject(this, 'resource', {
      apiVersion: api.apiVersion,
      kind: api.kind,
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: {
          ...waveAnnotations('instance'),
          // The CRD is applied by an earlier wave; skip the dry run that would fail before it.
          'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
        },
      },
      spec: props.spec,
    });
    this.resource.addDependency(namespace);
  }
}

// The operator's install, read from the files the operator's generator writes
// (operator/config, `npm run operator:generate`), never copied: a change to the operator's CRD or
// RBAC reaches every environment's rendered manifests at the next synth, and the stale-file test
// fails until they are committed.
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Include, JsonPatch, type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as api from '@ums/operator/src/api/group.ts';
import { waveAnnotations } from '../sync-waves.ts';

/** operator/config in this repository. */
export const operatorConfigDir = fileURLToPath(
  new URL('../../../operator/config/', import.meta.url),
);

function includeDir(
  scope: Construct,
  id: string,
  dir: string,
  want: (file: string) => boolean = () => true,
): ApiObject[] {
  return readdirSync(join(operatorConfigDir, dir))
    .filter((file) => file.endsWith('.yaml') && want(file))
    .sort()
    .flatMap(
      (file) =>
        new Include(scope, `${id}-${file}`, { url: join(operatorConfigDir, dir, file) }).apiObjects,
    );
}

/** The CustomResourceDefinition of UserManagementInstance, in the first sync wave. */
export class OperatorCrd extends Construct {
  /** The CRD object, as the operator's generator wrote it. */
  public readonly crd: ApiObject;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const [crd, ...rest] = includeDir(this, 'crd', 'crd');
    if (!crd || rest.length > 0) throw new Error('operator/config/crd must hold exactly one CRD');
    crd.metadata.addAnnotation('argocd.argoproj.io/sync-options', 'ServerSideApply=true');
    for (const [key, value] of Object.entries(waveAnnotations('crds')))
      crd.metadata.addAnnotation(key, value);
    this.crd = crd;
  }
}

export interface OperatorInstallProps {
  /** The operator image, such as `ghcr.io/ums-platform/operator:0.1.0`. */
  readonly image: string;
  /** Replicas of the operator Deployment: one leads, the others stand by. */
  readonly replicas: number;
  /** When to pull the image; `IfNotPresent` for images loaded into the node by hand. */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
}

/** The operator's namespace, ServiceAccount, least-privilege RBAC and Deployment. */
export class OperatorInstall extends Construct {
  /** The operator Deployment (image and replicas set from the props). */
  public readonly deployment: ApiObject;

  constructor(scope: Construct, id: string, props: OperatorInstallProps) {
    super(scope, id);
    // In the order `kubectl apply -f` needs: the namespace before what lives in it.
    const objects = [
      ...includeDir(this, 'manager', 'manager', (file) => file === 'namespace.yaml'),
      ...includeDir(this, 'rbac', 'rbac'),
      ...includeDir(this, 'deployment', 'manager', (file) => file !== 'namespace.yaml'),
    ];
    for (const obj of objects) {
      for (const [key, value] of Object.entries(waveAnnotations('operator')))
        obj.metadata.addAnnotation(key, value);
    }
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.name === api.operatorName);
    if (!deployment)
      throw new Error(`operator/config/manager has no Deployment ${api.operatorName}`);
    deployment.addJsonPatch(
      JsonPatch.replace('/spec/replicas', props.replicas),
      JsonPatch.replace('/spec/template/spec/containers/0/image', props.image),
      JsonPatch.add(
        '/spec/template/spec/containers/0/imagePullPolicy',
        props.imagePullPolicy ?? 'IfNotPresent',
      ),
    );
    this.deployment = deployment;
  }
}

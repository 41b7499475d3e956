// What the Argo CD bootstrap applies comes from the cdk8s render (cdk8s/dist/<env>/), never a
// copy: the AppProject and root Application in argocd.yaml, and the health checks in
// argocd-cm.yaml, which the Argo CD chart writes into its own argocd-cm.
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import type { EnvironmentName } from './sizing.ts';

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

export interface ArgoBootstrap {
  /** AppProject and root Application, in file order. */
  readonly objects: readonly KubernetesObject[];
  /** `resource.customizations.health.<group>_<kind>` keys and their Lua scripts. */
  readonly healthChecks: Readonly<Record<string, string>>;
}

const renderedDir = (environment: EnvironmentName) =>
  new URL(`../../cdk8s/dist/${environment}/`, import.meta.url);

export function readArgoBootstrap(environment: EnvironmentName): ArgoBootstrap {
  const read = (file: string) => readFileSync(new URL(file, renderedDir(environment)), 'utf8');
  const objects = parseAllDocuments(read('argocd.yaml')).map(
    (doc) => doc.toJS() as KubernetesObject,
  );
  const configMap = parse(read('argocd-cm.yaml')) as { data: Record<string, string> };
  return { objects, healthChecks: configMap.data };
}

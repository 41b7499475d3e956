// Argo CD on the new cluster, so that from here on git drives the workloads: the argo-cd Helm
// chart (through a Kubernetes provider that talks to this cluster, never the ambient kubeconfig)
// with the platform's health checks in its argocd-cm, then the AppProject and the root
// Application (app of apps) that cdk8s renders for the environment.
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ArgoBootstrap } from '../gitops.ts';

export interface ArgoCdArgs {
  readonly kubeconfig: pulumi.Input<string>;
  readonly bootstrap: ArgoBootstrap;
  /** Apply the AppProject and root Application too, or only install Argo CD. */
  readonly rootApplication: boolean;
}

/** argo-cd chart 10.1.1 ships Argo CD v3.4.4; docs/gitops.md needs v2.8 or later. */
export const argoCdChart = {
  chart: 'argo-cd',
  version: '10.1.1',
  repository: 'https://argoproj.github.io/argo-helm',
} as const;
export const argoCdNamespace = 'argocd';

export class ArgoCd extends pulumi.ComponentResource {
  constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
    super('ums:argocd:Bootstrap', name, {}, opts);
    const provider = new k8s.Provider(
      `${name}-cluster`,
      { kubeconfig: args.kubeconfig },
      { parent: this },
    );
    const release = new k8s.helm.v3.Release(
      name,
      {
        name: 'argocd',
        chart: argoCdChart.chart,
        version: argoCdChart.version,
        repositoryOpts: { repo: argoCdChart.repository },
        namespace: argoCdNamespace,
        createNamespace: true,
        // Waits until Argo CD runs (rolling back a failed install) before the Applications below.
        atomic: true,
        values: { configs: { cm: { ...args.bootstrap.healthChecks } } },
      },
      { parent: this, provider },
    );
    if (args.rootApplication) {
      for (const object of args.bootstrap.objects) {
        new k8s.apiextensions.CustomResource(
          `${name}-${object.kind.toLowerCase()}-${object.metadata.name}`,
          { ...object },
          { parent: this, provider, dependsOn: [release] },
        );
      }
    }
    this.registerOutputs({});
  }
}

// The Argo CD objects of one environment: an AppProject that allows only this platform's
// repository, destinations and kinds; a root Application (the app of apps) that syncs the child
// Applications; one child per rendered file, ordered by sync waves; and the argocd-cm keys that
// teach Argo CD the health of a UserManagementInstance and of an Application (which app-of-apps
// sync waves wait on).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as api from '@ums/operator/src/api/group.ts';
import { syncWave, syncWaveAnnotation, type WaveName } from '../sync-waves.ts';

const argoApi = 'argoproj.io/v1alpha1';
/** Argo CD's name for the cluster it runs in. */
export const inCluster = 'https://kubernetes.default.svc';
/** Deleting an Application with this finalizer deletes what it synced. */
const cascade = 'resources-finalizer.argocd.argoproj.io';

/** Where Argo CD reads this environment's rendered manifests. */
export interface GitSource {
  /** The repository's URL, as registered in Argo CD. */
  readonly repoURL: string;
  /** A tag or commit for staging and production; a branch only where every push should deploy. */
  readonly targetRevision: string;
  /** The folder of rendered files in the repository, such as `cdk8s/dist/prod`. */
  readonly path: string;
}

export interface ArgoCdProps {
  /** Environment name: the project is `ums-<env>` and the Applications `ums-<env>-<part>`. */
  readonly environment: string;
  readonly source: GitSource;
  /** Namespace Argo CD runs in (its Applications live there). */
  readonly argocdNamespace: string;
  /** The cluster API server to deploy to; Argo CD's own cluster by default. */
  readonly destinationServer?: string;
  /** The instance's namespace. */
  readonly instanceNamespace: string;
}

/** One child Application per rendered file, in wave order. */
export const childApps: readonly { part: WaveName; file: string }[] = [
  { part: 'crds', file: 'crds.yaml' },
  { part: 'operator', file: 'operator.yaml' },
  { part: 'instance', file: 'instance.yaml' },
  { part: 'monitoring', file: 'monitoring.yaml' },
];

function appName(env: string, part?: string): string {
  return part ? `ums-${env}-${part}` : `ums-${env}`;
}

const automated = {
  automated: { prune: true, selfHeal: true },
  retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
};

/** The AppProject and the root Application: what a platform team applies once, by hand. */
export class ArgoCdBootstrap extends Construct {
  constructor(scope: Construct, id: string, props: ArgoCdProps) {
    super(scope, id);
    const server = props.destinationServer ?? inCluster;
    const project = appName(props.environment);
    new ApiObject(this, 'project', {
      apiVersion: argoApi,
      kind: 'AppProject',
      metadata: { name: project, namespace: props.argocdNamespace },
      spec: {
        description: `User Management Platform, ${props.environment}`,
        sourceRepos: [props.source.repoURL],
        destinations: [
          { server, namespace: props.argocdNamespace },
          { server, namespace: api.operatorNamespace },
          { server, namespace: props.instanceNamespace },
        ],
        // Cluster-wide, only what the operator's install needs.
        clusterResourceWhitelist: [
          { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
          { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
          { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
          { group: '', kind: 'Namespace' },
        ],
        namespaceResourceWhitelist: [
          { group: argoApi.split('/')[0], kind: 'Application' },
          { group: '', kind: 'ServiceAccount' },
          // The Grafana dashboards (monitoring.yaml), loaded by Grafana's sidecar.
          { group: '', kind: 'ConfigMap' },
          { group: 'apps', kind: 'Deployment' },
          { group: 'rbac.authorization.k8s.io', kind: 'Role' },
          { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
          { group: api.group, kind: api.kind },
          { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
          { group: 'monitoring.coreos.com', kind: 'PodMonitor' },
          { group: 'monitoring.coreos.com', kind: 'PrometheusRule' },
        ],
        orphanedResources: { warn: true },
      },
    });
    new ApiObject(this, 'root', {
      apiVersion: argoApi,
      kind: 'Application',
      metadata: { name: project, namespace: props.argocdNamespace, finalizers: [cascade] },
      spec: {
        project,
        source: { ...props.source, directory: { include: 'apps.yaml' } },
        destination: { server, namespace: props.argocdNamespace },
        syncPolicy: automated,
      },
    });
  }
}

/** The child Applications the root syncs, one per rendered file, in sync-wave order. */
export class ArgoCdApps extends Construct {
  constructor(scope: Construct, id: string, props: ArgoCdProps) {
    super(scope, id);
    const server = props.destinationServer ?? inCluster;
    for (const { part, file } of childApps) {
      new ApiObject(this, part, {
        apiVersion: argoApi,
        kind: 'Application',
        metadata: {
          name: appName(props.environment, part),
          namespace: props.argocdNamespace,
          annotations: { [syncWaveAnnotation]: String(syncWave[part]) },
          finalizers: [cascade],
        },
        spec: {
          project: appName(props.environment),
          source: { ...props.source, directory: { include: file } },
          destination: {
            server,
            namespace:
              part === 'instance' || part === 'monitoring'
                ? props.instanceNamespace
                : api.operatorNamespace,
          },
          syncPolicy: {
            ...automated,
            // The CRD is larger than client-side apply's last-applied annotation allows.
            syncOptions: part === 'crds' ? ['ServerSideApply=true'] : [],
          },
        },
      });
    }
  }
}

/** argocd/health/<group>/<kind>/health.lua in this repository. */
export function healthScript(group: string, kind: string): string {
  return readFileSync(
    fileURLToPath(new URL(`../../../argocd/health/${group}/${kind}/health.lua`, import.meta.url)),
    'utf8',
  );
}

/** The argocd-cm keys to merge into Argo CD's settings (`kubectl apply --server-side` keeps the others). */
export class ArgoCdSettings extends Construct {
  constructor(scope: Construct, id: string, props: Pick<ArgoCdProps, 'argocdNamespace'>) {
    super(scope, id);
    new ApiObject(this, 'cm', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'argocd-cm',
        namespace: props.argocdNamespace,
        labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
      },
      data: {
        [`resource.customizations.health.${api.group}_${api.kind}`]: healthScript(
          api.group,
          api.kind,
        ),
        'resource.customizations.health.argoproj.io_Application': healthScript(
          'argoproj.io',
          'Application',
        ),
      },
    });
  }
}

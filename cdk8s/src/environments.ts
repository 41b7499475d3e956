// The three environments, sized from the seed's tables (README, "Environment Configuration" and
// "Kubernetes Resource Specifications"): dev runs one of everything with in-cluster databases on
// the local cluster (the images `npm run images:build` makes); staging runs two of each service,
// production three or more, both on the AWS databases the Pulumi stacks provision.
import type { InstanceSpecInput } from './constructs/instance.ts';
import type { OperatorInstallProps } from './constructs/operator-install.ts';
import type { GitSource } from './constructs/argocd.ts';

export interface Environment {
  readonly name: 'dev' | 'staging' | 'prod';
  readonly operator: OperatorInstallProps;
  readonly instance: {
    readonly name: string;
    readonly namespace: string;
    readonly spec: InstanceSpecInput;
  };
  /** Where Argo CD reads this environment's files. */
  readonly source: GitSource;
}

/** The repository Argo CD reads; a fork changes it here and re-renders. */
export const repoURL = 'https://github.com/ums-platform/user-management-platform.git';
export const platformVersion = '0.1.0';
const releaseTag = `v${platformVersion}`;
const ghcr = 'ghcr.io/ums-platform';

// The seed's Kubernetes table: frontend 128–256 Mi / 100–200 m, backend 256–512 Mi / 250–500 m.
const frontend = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '200m', memory: '256Mi' },
};
const backend = {
  requests: { cpu: '250m', memory: '256Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
};

/** The AWS endpoints of an environment (Pulumi stack outputs; the Secrets come from Secrets Manager). */
function awsDatabases(env: string) {
  const cluster = `ums-${env}.cluster-abcdefghijkl.eu-west-1`;
  return {
    postgres: {
      external: {
        host: `${cluster}.rds.amazonaws.com`,
        sslMode: 'verify-full',
        credentialsSecret: { name: 'ums-rds' },
      },
    },
    mongodb: {
      external: {
        host: `${cluster}.docdb.amazonaws.com`,
        replicaSet: 'rs0',
        credentialsSecret: { name: 'ums-docdb' },
      },
    },
    redis: {
      external: {
        host: `master.ums-${env}.abcdef.euw1.cache.amazonaws.com`,
        credentialsSecret: { name: 'ums-elasticache' },
      },
    },
  } as const;
}

/** A public host behind ingress-nginx with a cert-manager certificate. */
function publicIngress(host: string, issuer: string) {
  return {
    enabled: true,
    host,
    className: 'nginx',
    tls: { secretName: `${host.replaceAll('.', '-')}-tls` },
    annotations: { 'cert-manager.io/cluster-issuer': issuer },
  };
}

const small = (cpu: string, memory: string, limitCpu: string, limitMemory: string) => ({
  requests: { cpu, memory },
  limits: { cpu: limitCpu, memory: limitMemory },
});

/** Staging and production: images from GHCR, the AWS databases, a public host, a release tag. */
function awsEnvironment(env: {
  name: 'staging' | 'prod';
  host: string;
  issuer: string;
  spec: Pick<InstanceSpecInput, 'components' | 'security' | 'networkPolicy'>;
}): Environment {
  return {
    name: env.name,
    operator: { image: `${ghcr}/operator:${platformVersion}`, replicas: 2 },
    instance: {
      name: 'ums',
      namespace: 'user-management',
      spec: {
        version: platformVersion,
        imageRegistry: ghcr,
        components: env.spec.components,
        databases: awsDatabases(env.name),
        ingress: publicIngress(env.host, env.issuer),
        ...(env.spec.security && { security: env.spec.security }),
        ...(env.spec.networkPolicy && { networkPolicy: env.spec.networkPolicy }),
      },
    },
    source: { repoURL, targetRevision: releaseTag, path: `cdk8s/dist/${env.name}` },
  };
}

export const environments: readonly Environment[] = [
  {
    name: 'dev',
    // The local cluster (docs/local-cluster.md): images built on the machine, one operator, small
    // requests so that everything fits on a 2-core node; the same instance as operator/examples/dev.yaml.
    operator: {
      image: `ums/operator:${platformVersion}`,
      replicas: 1,
      imagePullPolicy: 'IfNotPresent',
    },
    instance: {
      name: 'dev',
      namespace: 'user-management-dev',
      spec: {
        version: platformVersion,
        imageRegistry: 'ums',
        imagePullPolicy: 'IfNotPresent',
        components: {
          auth: { replicas: 1, resources: small('100m', '192Mi', '1', '512Mi') },
          profile: { replicas: 1, resources: small('100m', '192Mi', '1', '512Mi') },
          web: { replicas: 1, resources: small('50m', '32Mi', '200m', '128Mi') },
        },
        databases: {
          postgres: {
            managed: {
              image: 'ums/postgres:15',
              storage: { size: '1Gi', reclaimPolicy: 'Delete' },
              resources: small('100m', '128Mi', '1', '512Mi'),
            },
          },
          mongodb: {
            managed: {
              image: 'ums/ferretdb:1.24.2',
              storage: { size: '1Gi', reclaimPolicy: 'Delete' },
              resources: small('100m', '128Mi', '1', '512Mi'),
            },
          },
          redis: {
            managed: {
              image: 'ums/redis:7',
              storage: { size: '256Mi', reclaimPolicy: 'Delete' },
              resources: small('50m', '64Mi', '500m', '256Mi'),
            },
          },
        },
        ingress: { enabled: true, host: 'ums.localtest.me' },
        security: { demoUsers: true },
      },
    },
    // Every push to main deploys dev.
    source: { repoURL, targetRevision: 'main', path: 'cdk8s/dist/dev' },
  },
  awsEnvironment({
    name: 'staging',
    host: 'users.staging.example.com',
    issuer: 'letsencrypt-staging',
    spec: {
      components: {
        auth: { replicas: 2, resources: backend },
        profile: { replicas: 2, resources: backend },
        web: { replicas: 2, resources: frontend },
      },
      security: { mfa: { requiredForAdmins: true } },
    },
  }),
  awsEnvironment({
    name: 'prod',
    host: 'users.example.com',
    issuer: 'letsencrypt-production',
    spec: {
      // "3+ tasks each service": three at least, more under load.
      components: {
        auth: {
          resources: backend,
          autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 15 },
        },
        profile: {
          resources: backend,
          autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 15 },
        },
        web: {
          resources: frontend,
          autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 10 },
        },
      },
      security: {
        mfa: { requiredForAdmins: true },
        lockout: { maxAttempts: 5, duration: '15m' },
      },
      networkPolicy: {
        ingressNamespaceSelector: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
      },
    },
  }),
];

export function environment(name: string): Environment {
  const env = environments.find((e) => e.name === name);
  if (!env)
    throw new Error(`unknown environment ${name} (${environments.map((e) => e.name).join(', ')})`);
  return env;
}

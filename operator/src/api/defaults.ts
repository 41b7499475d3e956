// Defaults taken from the seed README's "Kubernetes Resource Specifications" and "Auto Scaling
// Configuration" tables. The CRD schema carries them as `default:` values, so the API server
// fills them in and `kubectl get -o yaml` shows what is really running.

export interface ResourceDefaults {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface AutoscalingDefaults {
  minReplicas: number;
  maxReplicas: number;
  targetCPUUtilizationPercentage: number;
  targetMemoryUtilizationPercentage?: number;
  /** The seed's "for 2min" scale-up trigger. */
  scaleUpStabilizationSeconds: number;
  /** The seed's cooldown column. */
  scaleDownStabilizationSeconds: number;
}

export interface ComponentDefaults {
  replicas: number;
  resources: ResourceDefaults;
  autoscaling: AutoscalingDefaults;
}

// "Backend" row: auth and profile are the two halves of the seed's backend.
const backend: ComponentDefaults = {
  replicas: 2,
  resources: {
    requests: { cpu: '250m', memory: '256Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  },
  autoscaling: {
    minReplicas: 3,
    maxReplicas: 15,
    targetCPUUtilizationPercentage: 65,
    targetMemoryUtilizationPercentage: 80,
    scaleUpStabilizationSeconds: 0,
    scaleDownStabilizationSeconds: 300,
  },
};

export const componentDefaults = {
  auth: backend,
  profile: backend,
  web: {
    replicas: 2,
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '200m', memory: '256Mi' },
    },
    autoscaling: {
      minReplicas: 2,
      maxReplicas: 10,
      targetCPUUtilizationPercentage: 70,
      scaleUpStabilizationSeconds: 120,
      scaleDownStabilizationSeconds: 300,
    },
  },
} satisfies Record<string, ComponentDefaults>;

export interface DatabaseDefaults {
  image: string;
  port: number;
  storage: string;
  resources: ResourceDefaults;
}

const databaseResources: ResourceDefaults = {
  requests: { cpu: '250m', memory: '512Mi' },
  limits: { cpu: '500m', memory: '1Gi' },
};

export const databaseDefaults = {
  postgres: {
    image: 'postgres:17.6-alpine',
    port: 5432,
    storage: '10Gi',
    resources: databaseResources,
  },
  mongodb: { image: 'mongo:7.0', port: 27017, storage: '20Gi', resources: databaseResources },
  // Redis is not in the seed's table; it holds counters and a stream, so it gets less.
  redis: {
    image: 'redis:7.4-alpine',
    port: 6379,
    storage: '1Gi',
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '250m', memory: '256Mi' },
    },
  },
} satisfies Record<string, DatabaseDefaults>;

export const defaultImageRegistry = 'ghcr.io/ums-platform';

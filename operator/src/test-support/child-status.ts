// No kubelet or controller-manager runs in the test cluster, so nothing ever updates a child's
// status. Tests play those controllers' part by writing the status subresource themselves.
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { admin } from './cluster.ts';

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export async function markJobComplete(namespace: string, name: string): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const condition = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
  await admin.batch.patchNamespacedJobStatus(
    {
      namespace,
      name,
      body: {
        status: {
          startTime: now,
          completionTime: now,
          succeeded: 1,
          conditions: [condition('SuccessCriteriaMet'), condition('Complete')],
        },
      },
    },
    merge,
  );
}

export async function markJobFailed(namespace: string, name: string): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const condition = (type: string) => ({
    type,
    status: 'True',
    reason: 'BackoffLimitExceeded',
    message: 'Job has reached the specified backoff limit',
    lastTransitionTime: now,
  });
  await admin.batch.patchNamespacedJobStatus(
    {
      namespace,
      name,
      body: {
        status: {
          startTime: now,
          failed: 4,
          conditions: [condition('FailureTarget'), condition('Failed')],
        },
      },
    },
    merge,
  );
}

/** Reports every replica of the Deployment's current generation as updated, ready and available. */
export async function markDeploymentReady(namespace: string, name: string): Promise<void> {
  const deployment = await admin.apps.readNamespacedDeployment({ namespace, name });
  const replicas = deployment.spec?.replicas ?? 1;
  await admin.apps.patchNamespacedDeploymentStatus(
    {
      namespace,
      name,
      body: {
        status: {
          observedGeneration: deployment.metadata?.generation,
          replicas,
          updatedReplicas: replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
        },
      },
    },
    merge,
  );
}

export async function markStatefulSetReady(namespace: string, name: string): Promise<void> {
  const statefulSet = await admin.apps.readNamespacedStatefulSet({ namespace, name });
  const replicas = statefulSet.spec?.replicas ?? 1;
  await admin.apps.patchNamespacedStatefulSetStatus(
    {
      namespace,
      name,
      body: {
        status: {
          observedGeneration: statefulSet.metadata?.generation,
          replicas,
          readyReplicas: replicas,
          currentReplicas: replicas,
          updatedReplicas: replicas,
          availableReplicas: replicas,
        },
      },
    },
    merge,
  );
}

// Pieces every pod the operator builds shares: a restricted security context (the "restricted"
// Pod Security Standard), a writable /tmp on a read-only root, and image names.
import type {
  V1LocalObjectReference,
  V1PodSecurityContext,
  V1SecurityContext,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type { InstanceRef } from '../api/types.ts';

/** The user the platform images run as (see operator/docker/*.Dockerfile). */
export const appUid = 10001;

export function podSecurityContext(uid: number): V1PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export const containerSecurityContext: V1SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

/** Scratch space on a read-only root file system. */
export function scratchVolume(
  name: string,
  mountPath: string,
): {
  volume: V1Volume;
  mount: V1VolumeMount;
} {
  return {
    volume: { name, emptyDir: { sizeLimit: '64Mi' } },
    mount: { name, mountPath },
  };
}

export function imageFor(
  instance: InstanceRef,
  component: 'auth' | 'profile' | 'web',
  version: string,
): string {
  return (
    instance.spec.components[component].image ??
    `${instance.spec.imageRegistry}/${component}:${version}`
  );
}

export function imagePullSecrets(instance: InstanceRef): {
  imagePullSecrets?: V1LocalObjectReference[];
} {
  const secrets = instance.spec.imagePullSecrets;
  return secrets && secrets.length > 0
    ? { imagePullSecrets: secrets.map(({ name }) => ({ name })) }
    : {};
}

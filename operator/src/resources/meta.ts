// Names, labels and owner references shared by every child object.
import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import * as api from '../api/group.ts';
import type { InstanceRef } from '../api/types.ts';

/** Every child kind the operator builds, by component. */
export type Component =
  'auth' | 'profile' | 'web' | 'postgres' | 'mongodb' | 'redis' | 'migration' | 'monitoring';

export function childName(instance: InstanceRef, suffix: string): string {
  return `${instance.name}-${suffix}`;
}

/** Labels that select a component's pods; part of immutable selectors, so never add to them. */
export function selectorLabels(
  instance: InstanceRef,
  component: Component,
): Record<string, string> {
  return {
    [api.labels.name]: api.appName,
    [api.labels.instance]: instance.name,
    [api.labels.component]: component,
  };
}

export function commonLabels(instance: InstanceRef, component?: Component): Record<string, string> {
  return {
    [api.labels.name]: api.appName,
    [api.labels.instance]: instance.name,
    ...(component ? { [api.labels.component]: component } : {}),
    [api.labels.partOf]: api.partOf,
    [api.labels.managedBy]: api.operatorName,
  };
}

export function ownerReference(instance: InstanceRef): V1OwnerReference {
  return {
    apiVersion: api.apiVersion,
    kind: api.kind,
    name: instance.name,
    uid: instance.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function childMeta(
  instance: InstanceRef,
  name: string,
  component?: Component,
): V1ObjectMeta & { name: string; namespace: string } {
  return {
    name,
    namespace: instance.namespace,
    labels: commonLabels(instance, component),
    ownerReferences: [ownerReference(instance)],
  };
}

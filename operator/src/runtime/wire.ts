// client-node models use camelCase names where the API uses others (`_from` for `from`), and
// its list calls return models while watch events carry wire JSON. The informer caches and the
// apply helper compare in one form, wire JSON, which is also what the API server sees.
// ObjectSerializer is not re-exported by the package index; this deep import is its public file.
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
import type { KubernetesObject } from '@kubernetes/client-node';

/** A Kubernetes object as wire JSON. */
export type WireObject = KubernetesObject & Record<string, unknown>;

export function toWire(obj: object, model: string): WireObject {
  return ObjectSerializer.serialize(obj, model) as WireObject;
}

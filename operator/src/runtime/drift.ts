// Decides whether an apply would change anything, so a steady-state reconcile sends no writes.
// Two checks: the hash of what we last applied (catches fields we stopped setting, which a
// subset check cannot see) and "live contains desired" (catches edits by anyone else).
import { shortHash } from './canonical-json.ts';
import type { WireObject } from './wire.ts';

export const appliedHashAnnotation = 'platform.ums.dev/applied-hash';

/** Returns `desired` with an annotation recording its own hash. */
export function withAppliedHash(desired: WireObject): WireObject {
  const hash = shortHash(desired, 16);
  const metadata = desired.metadata ?? {};
  return {
    ...desired,
    metadata: {
      ...metadata,
      annotations: { ...metadata.annotations, [appliedHashAnnotation]: hash },
    },
  };
}

export function needsApply(live: WireObject | undefined, desired: WireObject): boolean {
  if (!live) return true;
  const want = desired.metadata?.annotations?.[appliedHashAnnotation];
  if (want === undefined || live.metadata?.annotations?.[appliedHashAnnotation] !== want)
    return true;
  return !containsDesired(live, desired, '');
}

/**
 * True when every value set in `desired` has the same value in `live`. Lists must match in
 * length and order. Quantities under `requests`/`limits` compare by value, because the API
 * server rewrites `0.5` as `500m`. Empty lists and objects in `desired` match a missing field,
 * because the API server omits empty values.
 */
export function containsDesired(
  live: unknown,
  desired: unknown,
  key: string,
  parent = '',
): boolean {
  if (desired === undefined) return true;
  if (Array.isArray(desired)) {
    if (desired.length === 0 && live === undefined) return true;
    return (
      Array.isArray(live) &&
      live.length === desired.length &&
      desired.every((item, i) => containsDesired(live[i], item, key, parent))
    );
  }
  if (isRecord(desired)) {
    if (Object.keys(desired).length === 0 && live === undefined) return true;
    if (!isRecord(live)) return false;
    return Object.entries(desired).every(([k, v]) => containsDesired(live[k], v, k, key));
  }
  if ((parent === 'requests' || parent === 'limits') && typeof desired === 'string') {
    return (
      typeof live === 'string' &&
      (live === desired || quantityValue(live) === quantityValue(desired))
    );
  }
  return live === desired;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const suffixes: Record<string, number> = {
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The numeric value of a Kubernetes quantity, or NaN when it is not one. */
export function quantityValue(quantity: string): number {
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(quantity);
  const multiplier = match ? suffixes[match[2] ?? ''] : undefined;
  if (!match || multiplier === undefined) return Number.NaN;
  return Number(match[1]) * multiplier;
}

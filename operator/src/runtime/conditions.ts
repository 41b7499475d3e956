// Keeps status conditions in the Kubernetes convention: one entry per type, in a fixed order,
// with lastTransitionTime moving only when the status flips (a new reason or message alone does
// not move it) and observedGeneration naming the spec the condition was computed from.

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export type DesiredCondition = Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>;

export function mergeConditions(
  existing: readonly Condition[] | undefined,
  desired: readonly DesiredCondition[],
  generation: number | undefined,
  now: Date,
): Condition[] {
  const previous = new Map((existing ?? []).map((c) => [c.type, c]));
  return desired.map((want) => {
    const before = previous.get(want.type);
    const flipped = !before || before.status !== want.status;
    return {
      ...want,
      lastTransitionTime: flipped ? toKubeTime(now) : before.lastTransitionTime,
      ...(generation === undefined ? {} : { observedGeneration: generation }),
    };
  });
}

/** Conditions whose status changed between two lists, for Events. */
export function flippedConditions(
  before: readonly Condition[] | undefined,
  after: readonly Condition[],
): Condition[] {
  const previous = new Map((before ?? []).map((c) => [c.type, c.status]));
  return after.filter((c) => previous.get(c.type) !== c.status);
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** RFC 3339 with whole seconds, as metav1.Time serialises. */
export function toKubeTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

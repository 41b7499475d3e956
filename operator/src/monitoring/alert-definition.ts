// The shape every alert is written in: its expression split into the part that must return
// series on a live system (the probe) and the threshold, its annotations, and the promtool
// cases that show it firing and staying quiet.
import type { Selectors } from './promql.ts';

export type Severity = 'critical' | 'warning';

/** One input series of a promtool unit test, in promtool's expanding notation (`0+10x30`). */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

export interface AlertCase {
  /** What the case shows, read in the test name ("fires when ..."/"stays quiet when ..."). */
  readonly name: string;
  /** Sample interval of the input series; `1m` when unset. */
  readonly interval?: string;
  readonly series: readonly InputSeries[];
  /** When the rule is evaluated, counted from the first sample. */
  readonly evalTime: string;
  /**
   * The alerts firing at `evalTime`: their labels (without `alertname` and `severity`, added
   * from the rule) and the text `{{ $value ... }}` renders to. Empty: the alert must not fire.
   */
  readonly alerts: readonly { labels: Record<string, string>; value?: string }[];
}

export interface AlertDefinition {
  readonly alert: string;
  /** The expression without its threshold: what returns series whenever the metrics exist. */
  readonly probe: (s: Selectors) => string;
  /** Appended to the probe to make the alert, e.g. `> 0.5`. */
  readonly threshold: string | ((s: Selectors) => string);
  readonly for: string;
  readonly severity: Severity;
  /** Go templates over `$labels` and `$value`, as Prometheus renders them. */
  readonly summary: string;
  readonly description: string;
  /** At least one case that fires and one that does not. */
  readonly cases: readonly AlertCase[];
}

/** `name{a="1", b="2"}` for test input series. */
export const series = (
  metric: string,
  labels: Record<string, string>,
  values: string,
): InputSeries => ({
  series: `${metric}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`,
  values,
});

/** A histogram's `_bucket` series for test input: one per `[le, values]`, in that order. */
export const buckets = (
  metric: string,
  labels: Record<string, string>,
  valuesByLe: readonly (readonly [le: string, values: string])[],
): InputSeries[] =>
  valuesByLe.map(([le, values]) => series(`${metric}_bucket`, { ...labels, le }, values));

/** The labels of the instance the test series belong to. */
export const testInstance = { namespace: 'ums-prod', ums_instance: 'ums' } as const;

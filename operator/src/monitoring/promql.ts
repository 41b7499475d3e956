// Selector building for the rules and dashboards: every series of an instance is selected
// through one function, so scoping a rule set to one instance (`matchers`) or a dashboard to
// its template variables cannot miss a selector.

/** Labels every series scraped from an instance's pods carries (docs/runbook.md, "Labels"). */
export const instanceLabels = ['namespace', 'ums_instance'] as const;

/** `by (namespace, ums_instance, ...extra)`: the grouping every instance rule starts from. */
export const byInstance = (...extra: string[]): string =>
  `by (${[...instanceLabels, ...extra].join(', ')})`;

/** Node exporter matchers for real filesystems: tmpfs, overlay layers and pod volumes are not the node's disk. */
export const realFilesystems =
  'fstype!~"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|autofs|fuse.*", mountpoint!~"/(run|boot|var/lib/kubelet)(/.*)?"';

/** `metric{a, b}`, leaving out empty parts (and the braces when nothing is left). */
export function selector(metric: string, ...matchers: (string | undefined)[]): string {
  const parts = matchers.filter((m): m is string => m !== undefined && m.trim() !== '');
  return parts.length === 0 ? metric : `${metric}{${parts.join(', ')}}`;
}

export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

const matcherPattern =
  /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/** Parses `namespace="ums-prod", ums_instance="ums"`; throws on anything else. */
export function parseMatchers(text: string): LabelMatcher[] {
  const result: LabelMatcher[] = [];
  matcherPattern.lastIndex = 0;
  while (matcherPattern.lastIndex < text.length) {
    const start = matcherPattern.lastIndex;
    const m = matcherPattern.exec(text);
    if (!m) {
      if (text.slice(start).trim() === '') break;
      throw new Error(`cannot parse label matchers at "${text.slice(start)}" in "${text}"`);
    }
    result.push({ label: m[1] ?? '', op: (m[2] ?? '=') as LabelMatcher['op'], value: m[3] ?? '' });
  }
  return result;
}

export const formatMatchers = (matchers: readonly LabelMatcher[]): string =>
  matchers.map((m) => `${m.label}${m.op}"${m.value}"`).join(', ');

/**
 * The selectors a rule or panel is written with. `app` selects an instance's own series (the
 * services'), `operatorInstance` the operator's per-instance gauges (labelled
 * `instance_namespace`/`instance_name`, since Prometheus owns `namespace`), `cluster` series
 * that belong to no instance (the operator's, the node exporter's).
 */
export interface Selectors {
  app(metric: string, ...extra: string[]): string;
  operatorInstance(metric: string, ...extra: string[]): string;
  cluster(metric: string, ...extra: string[]): string;
}

/**
 * Selectors for rules: `matchers` scopes them to one instance; without it they cover every
 * series that carries `ums_instance`, i.e. every instance Prometheus scrapes.
 */
export function ruleSelectors(matchers = ''): Selectors {
  const parsed = parseMatchers(matchers);
  const app = parsed.length > 0 ? formatMatchers(parsed) : 'ums_instance!=""';
  const renamed: Record<string, string> = {
    namespace: 'instance_namespace',
    ums_instance: 'instance_name',
  };
  const operatorInstance = formatMatchers(
    parsed.filter((m) => m.label in renamed).map((m) => ({ ...m, label: renamed[m.label] ?? '' })),
  );
  return {
    app: (metric, ...extra) => selector(metric, app, ...extra),
    operatorInstance: (metric, ...extra) => selector(metric, operatorInstance, ...extra),
    cluster: (metric, ...extra) => selector(metric, ...extra),
  };
}

/** Selectors for dashboard panels: the template variables `$namespace` and `$ums_instance`. */
export const panelSelectors: Selectors = {
  app: (metric, ...extra) =>
    selector(metric, 'namespace=~"$namespace"', 'ums_instance=~"$ums_instance"', ...extra),
  operatorInstance: (metric, ...extra) =>
    selector(
      metric,
      'instance_namespace=~"$namespace"',
      'instance_name=~"$ums_instance"',
      ...extra,
    ),
  cluster: (metric, ...extra) => selector(metric, ...extra),
};

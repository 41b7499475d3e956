// The alert rules as Prometheus rule groups, the probes the live test runs, and the promtool
// unit tests generated from each rule's cases.
import type { AlertCase, AlertDefinition } from './alert-definition.ts';
import { ruleSelectors } from './promql.ts';
import { clusterAlerts } from './rules-cluster.ts';
import { kpiAlerts } from './rules-kpi.ts';
import { platformAlerts } from './rules-platform.ts';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: AlertRule[];
}

export interface RuleOptions {
  /** Label matchers added to every selector of the instance's series, e.g. `namespace="ums-prod",ums_instance="ums"`. */
  readonly matchers?: string;
  /** Replaces every rule's `for:` (a local stack's tests use a short one). */
  readonly forOverride?: string;
}

/** Where the runbook lives; each alert links to its own section. */
export const runbookBase =
  'https://github.com/ums-platform/user-management-platform/blob/main/docs/runbook.md';

/** The section anchor of an alert in docs/runbook.md (its `## <alert>` heading). */
export const runbookAnchor = (alert: string): string => alert.toLowerCase();

const groupDefinitions = {
  instance: [
    { name: 'ums-kpi', alerts: kpiAlerts },
    { name: 'ums-platform', alerts: platformAlerts },
  ],
  cluster: [{ name: 'ums-cluster', alerts: clusterAlerts }],
} as const;

/** Every alert definition, in file order. */
export const alertDefinitions: readonly AlertDefinition[] = [
  ...kpiAlerts,
  ...platformAlerts,
  ...clusterAlerts,
];

function toRule(def: AlertDefinition, options: RuleOptions): AlertRule {
  const s = ruleSelectors(options.matchers);
  const threshold = typeof def.threshold === 'string' ? def.threshold : def.threshold(s);
  return {
    alert: def.alert,
    expr: `${def.probe(s)} ${threshold}`,
    for: options.forOverride ?? def.for,
    labels: { severity: def.severity },
    annotations: {
      summary: def.summary,
      description: def.description,
      runbook_url: `${runbookBase}#${runbookAnchor(def.alert)}`,
    },
  };
}

const build = (
  groups: readonly { name: string; alerts: readonly AlertDefinition[] }[],
  options: RuleOptions,
): RuleGroup[] =>
  groups.map((g) => ({ name: g.name, rules: g.alerts.map((a) => toRule(a, options)) }));

/** The rules over one instance's series (KPIs and platform), scoped by `matchers`. */
export const instanceRuleGroups = (options: RuleOptions = {}): RuleGroup[] =>
  build(groupDefinitions.instance, options);

/** The rules over the operator's and the nodes' series: once per cluster. `matchers` does not apply. */
export const clusterRuleGroups = (options: RuleOptions = {}): RuleGroup[] =>
  build(groupDefinitions.cluster, { forOverride: options.forOverride });

/** Every rule group: the instance groups, then the cluster group. */
export const alertRuleGroups = (options: RuleOptions = {}): RuleGroup[] => [
  ...instanceRuleGroups(options),
  ...clusterRuleGroups(options),
];

/** Each alert's expression without its threshold: after traffic, each returns at least one series. */
export function alertProbes(options: Pick<RuleOptions, 'matchers'> = {}): {
  alert: string;
  expr: string;
}[] {
  const s = ruleSelectors(options.matchers);
  return alertDefinitions.map((def) => ({ alert: def.alert, expr: def.probe(s) }));
}

/** What Prometheus renders an annotation to, given the alert's labels and the text of `$value`. */
export function renderAnnotation(
  template: string,
  labels: Record<string, string>,
  value: string | undefined,
): string {
  return template.replace(
    /\{\{\s*(\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)|\$value[^}]*)\s*\}\}/g,
    (_, _all, label) => {
      if (label !== undefined) return labels[label] ?? '';
      if (value === undefined)
        throw new Error(`a case must say what $value renders to in "${template}"`);
      return value;
    },
  );
}

interface PromtoolTest {
  name: string;
  interval: string;
  input_series: { series: string; values: string }[];
  alert_rule_test: {
    eval_time: string;
    alertname: string;
    exp_alerts: {
      exp_labels: Record<string, string>;
      exp_annotations: Record<string, string>;
    }[];
  }[];
}

function promtoolTest(def: AlertDefinition, rule: AlertRule, c: AlertCase): PromtoolTest {
  return {
    name: `${def.alert} ${c.alerts.length > 0 ? 'fires' : 'stays quiet'} when ${c.name}`,
    interval: c.interval ?? '1m',
    input_series: c.series.map((s) => ({ series: s.series, values: s.values })),
    alert_rule_test: [
      {
        eval_time: c.evalTime,
        alertname: def.alert,
        exp_alerts: c.alerts.map((a) => ({
          exp_labels: { ...a.labels, severity: def.severity },
          exp_annotations: {
            summary: renderAnnotation(def.summary, a.labels, a.value),
            description: renderAnnotation(def.description, a.labels, a.value),
            runbook_url: rule.annotations.runbook_url,
          },
        })),
      },
    ],
  };
}

/** promtool's unit-test file for the rules file `ruleFile` (alertRuleGroups() with defaults). */
export function promtoolTests(ruleFile: string): object {
  const rules = new Map(
    alertRuleGroups().flatMap((g) => g.rules.map((r) => [r.alert, r] as const)),
  );
  return {
    rule_files: [ruleFile],
    evaluation_interval: '1m',
    tests: alertDefinitions.flatMap((def) => {
      const rule = rules.get(def.alert);
      if (!rule) throw new Error(`no rule for ${def.alert}`);
      return def.cases.map((c) => promtoolTest(def, rule, c));
    }),
  };
}

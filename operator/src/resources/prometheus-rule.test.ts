import * as api from '../api/group.ts';
import { clusterRuleGroups, instanceRuleGroups } from '../monitoring/index.ts';
import type { RuleGroup } from '../monitoring/index.ts';
import { instanceRef } from '../test-support/instance.ts';
import { instanceMatchers } from './monitoring-meta.ts';
import { buildPrometheusRule, prometheusRuleName } from './prometheus-rule.ts';
import type { AlertRuleGroups } from './prometheus-rule.ts';

const ref = instanceRef(
  { monitoring: { prometheusRule: true, labels: { release: 'prom' } } },
  'ums',
);

// Stands in for operator/src/monitoring's alertRuleGroups(): records what it was asked for.
const asked: string[] = [];
const groups: AlertRuleGroups = ({ matchers }) => {
  asked.push(matchers);
  return [
    {
      name: 'ums-http',
      rules: [
        {
          alert: 'UmsHighErrorRate',
          expr: `sum(rate(http_request_duration_seconds_count{${matchers},status_code=~"5.."}[5m])) > 0`,
          for: '5m',
          labels: { severity: 'critical' },
          annotations: { summary: 's', description: 'd', runbook_url: 'r' },
        },
      ],
    },
  ];
};

test('when the PrometheusRule is built, then its groups come from alertRuleGroups limited to this namespace and instance', () => {
  const rule = buildPrometheusRule(ref, groups);
  expect(asked.at(-1)).toBe('namespace="team-a",ums_instance="ums"');
  expect(instanceMatchers(ref)).toBe('namespace="team-a",ums_instance="ums"');
  expect(rule).toMatchObject({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: prometheusRuleName(ref), namespace: 'team-a' },
  });
  expect(rule.metadata.name).toBe('ums-alerts');
  expect(rule.spec.groups).toEqual(groups({ matchers: instanceMatchers(ref) }));
});

test('when the PrometheusRule is built, then it is owned by the instance and carries the spec’s extra labels', () => {
  const rule = buildPrometheusRule(ref, groups);
  expect(rule.metadata.labels).toMatchObject({
    release: 'prom',
    [api.labels.managedBy]: api.operatorName,
    [api.labels.component]: 'monitoring',
  });
  expect(rule.metadata.ownerReferences).toEqual([
    expect.objectContaining({ kind: api.kind, name: 'ums', uid: ref.uid, controller: true }),
  ]);
});

test('when built from the real instanceRuleGroups, then every rule selects only this instance’s series and none of the once-per-cluster rules is included', () => {
  const rule = buildPrometheusRule(ref, instanceRuleGroups);
  const built = rule.spec.groups as RuleGroup[];
  expect(built.map((g) => g.name)).toEqual(instanceRuleGroups().map((g) => g.name));
  const rules = built.flatMap((g) => g.rules);
  expect(rules.length).toBeGreaterThan(0);
  // The operator's per-instance gauge names the instance in labels of its own (the contract).
  const thisInstance =
    /namespace="team-a", ?ums_instance="ums"|instance_namespace="team-a", ?instance_name="ums"/;
  for (const r of rules) expect(r.expr).toMatch(thisInstance);
  const alerts = rules.map((r) => r.alert);
  const clusterAlerts = clusterRuleGroups().flatMap((g) => g.rules.map((r) => r.alert));
  expect(clusterAlerts.length).toBeGreaterThan(0);
  for (const alert of clusterAlerts) expect(alerts).not.toContain(alert);
});

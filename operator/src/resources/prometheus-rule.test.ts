import * as api from '../api/group.ts';
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

// The PrometheusRule (Prometheus Operator) with the platform's alert rules, written once in
// operator/src/monitoring and limited here to one instance's series. Only the instance's groups:
// the cluster group (operator, node disk) is the same for every instance, once per cluster.
import type { InstanceRef } from '../api/types.ts';
import type { RuleGroup } from '../monitoring/index.ts';
import { monitoringApiVersion } from '../runtime/kinds.ts';
import { childName } from './meta.ts';
import { instanceMatchers, monitoringMeta } from './monitoring-meta.ts';
import type { MonitoringObject } from './monitoring-meta.ts';

/** operator/src/monitoring's instanceRuleGroups(), or a stand-in in tests. */
export type AlertRuleGroups = (options: { matchers: string }) => RuleGroup[];

export function prometheusRuleName(instance: InstanceRef): string {
  return childName(instance, 'alerts');
}

export function buildPrometheusRule(
  instance: InstanceRef,
  alertRuleGroups: AlertRuleGroups,
): MonitoringObject {
  return {
    apiVersion: monitoringApiVersion,
    kind: 'PrometheusRule',
    metadata: monitoringMeta(instance, prometheusRuleName(instance), 'monitoring'),
    spec: { groups: alertRuleGroups({ matchers: instanceMatchers(instance) }) },
  };
}

// The one source of the platform's alert rules and Grafana dashboards, imported by the operator
// (spec.monitoring) and the cdk8s app, and rendered into monitoring/ for Prometheus and Grafana.
export type { AlertRule, RuleGroup, RuleOptions } from './rules.ts';
export {
  alertProbes,
  alertRuleGroups,
  clusterRuleGroups,
  instanceRuleGroups,
  runbookAnchor,
  runbookBase,
} from './rules.ts';
export type { Dashboard } from './dashboards.ts';
export { dashboardExpressions, dashboards } from './dashboards.ts';

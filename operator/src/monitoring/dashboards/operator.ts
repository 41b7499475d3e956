// The operator: reconciles, errors, the work queue, API writes and which replica holds the
// leader Lease. Its metrics are not per instance, except the Ready gauge.
import { panelSelectors as s } from '../promql.ts';
import { Board } from './panels.ts';

const rate = (sel: string) => `rate(${sel}[$__rate_interval])`;
const op = 'service_name="ums-operator"';

export function operatorDashboard(): object {
  return new Board(
    'ums-operator',
    'UMS / Operator',
    'Reconciles, errors, work queue, API writes and the leader Lease of the UserManagementInstance operator; the namespace and instance variables select the instances in the Ready panel.',
    'operator',
  )
    .row('Instances and leadership')
    .timeseries(
      'Instances Ready (1) or not (0)',
      [
        {
          expr: `max by (instance_namespace, instance_name) (${s.operatorInstance('ums_operator_instance_ready')})`,
          legend: '{{instance_namespace}}/{{instance_name}}',
        },
      ],
      { min: 0, max: 1, lowIsBad: true, redAt: 1 },
    )
    .timeseries(
      'Lease holder (1 = leader)',
      [
        {
          expr: `max by (namespace, instance) (${s.cluster('ums_operator_leader')})`,
          legend: '{{instance}}',
        },
      ],
      {
        min: 0,
        max: 1,
        description: 'Exactly one replica should hold the Lease; none means nothing reconciles.',
      },
    )
    .row('Reconciles')
    .timeseries(
      'Reconciles per second by result',
      [
        {
          expr: `sum by (result) (${rate(s.cluster('ums_operator_reconcile_total'))})`,
          legend: '{{result}}',
        },
      ],
      { unit: 'ops', span: 8 },
    )
    .timeseries(
      'Reconcile duration (p50, p95)',
      [
        {
          expr: `histogram_quantile(0.5, sum by (le) (${rate(s.cluster('ums_operator_reconcile_duration_seconds_bucket'))}))`,
          legend: 'p50',
        },
        {
          expr: `histogram_quantile(0.95, sum by (le) (${rate(s.cluster('ums_operator_reconcile_duration_seconds_bucket'))}))`,
          legend: 'p95',
        },
      ],
      { unit: 's', span: 8 },
    )
    .timeseries(
      'Reconcile errors by reason',
      [
        {
          expr: `sum by (reason) (${rate(s.cluster('ums_operator_reconcile_errors_total'))})`,
          legend: '{{reason}}',
        },
      ],
      { unit: 'ops', span: 8 },
    )
    .row('Work queue and API server')
    .timeseries(
      'Work queue depth',
      [
        {
          expr: `max by (instance) (${s.cluster('ums_operator_workqueue_depth')})`,
          legend: '{{instance}}',
        },
      ],
      { unit: 'short', span: 8, redAt: 10 },
    )
    .timeseries(
      'Queue adds and retries per second',
      [
        { expr: `sum (${rate(s.cluster('ums_operator_workqueue_adds_total'))})`, legend: 'adds' },
        {
          expr: `sum (${rate(s.cluster('ums_operator_workqueue_retries_total'))})`,
          legend: 'retries',
        },
      ],
      { unit: 'ops', span: 8 },
    )
    .timeseries(
      'API writes per second by kind and verb',
      [
        {
          expr: `sum by (kind, verb) (${rate(s.cluster('ums_operator_api_writes_total'))})`,
          legend: '{{verb}} {{kind}}',
        },
      ],
      { unit: 'ops', span: 8 },
    )
    .timeseries(
      'Operator CPU (cores)',
      [
        {
          expr: `sum by (instance) (${rate(s.cluster('process_cpu_seconds_total', op))})`,
          legend: '{{instance}}',
        },
      ],
      { unit: 'short' },
    )
    .timeseries(
      'Operator memory resident',
      [
        {
          expr: `max by (instance) (${s.cluster('process_resident_memory_bytes', op)})`,
          legend: '{{instance}}',
        },
      ],
      { unit: 'bytes' },
    )
    .build();
}

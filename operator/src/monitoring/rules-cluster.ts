// Series that belong to no one instance: the operator's own and the node exporter's. One copy
// of these rules per cluster (cdk8s puts them next to the operator), never one per instance.
import { series, type AlertDefinition } from './alert-definition.ts';
import { realFilesystems } from './promql.ts';

const operator = {
  namespace: 'ums-system',
  instance: '10.0.0.2:8080',
  service_name: 'ums-operator',
};
const ns = { namespace: 'ums-system' };
const node = {
  namespace: 'monitoring',
  instance: 'node-1:9100',
  device: '/dev/vda1',
  fstype: 'ext4',
  mountpoint: '/',
};
const nodeOut = { namespace: 'monitoring', instance: 'node-1:9100', mountpoint: '/' };

export const clusterAlerts: AlertDefinition[] = [
  {
    alert: 'UmsDiskSpaceLow',
    probe: (s) =>
      `max by (namespace, ums_instance, instance, mountpoint) (1 - ${s.cluster('node_filesystem_avail_bytes', realFilesystems)}` +
      ` / ${s.cluster('node_filesystem_size_bytes', realFilesystems)})`,
    threshold: '> 0.85',
    for: '15m',
    severity: 'warning',
    summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is more than 85 % full',
    description:
      '{{ $labels.mountpoint }} on {{ $labels.instance }} is {{ $value | humanizePercentage }} full; the KPI target is below 75 % and the alert threshold 85 %. Databases and logs on it stop writing when it fills.',
    cases: [
      {
        name: '90 % of the root filesystem is used',
        series: [
          series('node_filesystem_avail_bytes', node, '10+0x30'),
          series('node_filesystem_size_bytes', node, '100+0x30'),
        ],
        evalTime: '20m',
        alerts: [{ labels: nodeOut, value: '90%' }],
      },
      {
        name: 'half of it is used, and a full tmpfs does not count',
        series: [
          series('node_filesystem_avail_bytes', node, '50+0x30'),
          series('node_filesystem_size_bytes', node, '100+0x30'),
          series(
            'node_filesystem_avail_bytes',
            { ...node, fstype: 'tmpfs', mountpoint: '/dev/shm' },
            '0+0x30',
          ),
          series(
            'node_filesystem_size_bytes',
            { ...node, fstype: 'tmpfs', mountpoint: '/dev/shm' },
            '100+0x30',
          ),
        ],
        evalTime: '20m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsOperatorReconcileErrors',
    // The share of reconciles that end in error (the reasons: ums_operator_reconcile_errors_total).
    probe: (s) =>
      `(sum by (namespace) (rate(${s.cluster('ums_operator_reconcile_total', 'result="error"')}[15m]))` +
      ` or sum by (namespace) (rate(${s.cluster('ums_operator_reconcile_total')}[15m])) * 0)` +
      ` / sum by (namespace) (rate(${s.cluster('ums_operator_reconcile_total')}[15m]))`,
    threshold: '> 0.1',
    for: '15m',
    severity: 'warning',
    summary: 'More than 10 % of the operator’s reconciles fail',
    description:
      '{{ $value | humanizePercentage }} of the reconciles of the operator in {{ $labels.namespace }} ended in error over the last 15 minutes; the instances it manages stop converging. ums_operator_reconcile_errors_total{reason} and the operator’s Events say why.',
    cases: [
      {
        name: 'a third of reconciles fail',
        series: [
          series('ums_operator_reconcile_total', { ...operator, result: 'success' }, '0+10x40'),
          series('ums_operator_reconcile_total', { ...operator, result: 'error' }, '0+5x40'),
        ],
        evalTime: '35m',
        alerts: [{ labels: ns, value: '33.33%' }],
      },
      {
        name: 'no reconcile fails',
        series: [
          series('ums_operator_reconcile_total', { ...operator, result: 'success' }, '0+10x40'),
          series('ums_operator_reconcile_total', { ...operator, result: 'requeue' }, '0+2x40'),
        ],
        evalTime: '35m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsOperatorQueueBacklog',
    probe: (s) => `max by (namespace) (${s.cluster('ums_operator_workqueue_depth')})`,
    threshold: '> 10',
    for: '15m',
    severity: 'warning',
    summary: 'More than 10 instances wait in the operator’s work queue',
    description:
      '{{ $value | humanize }} instances have waited in the work queue of the operator in {{ $labels.namespace }} for 15 minutes: reconciles are slow (API server latency, a slow step) or the leader is stuck.',
    cases: [
      {
        name: '25 instances stay queued',
        series: [series('ums_operator_workqueue_depth', operator, '25+0x30')],
        evalTime: '20m',
        alerts: [{ labels: ns, value: '25' }],
      },
      {
        name: 'the queue drains after a burst',
        series: [series('ums_operator_workqueue_depth', operator, '30 20 5 0+0x30')],
        evalTime: '20m',
        alerts: [],
      },
    ],
  },
];

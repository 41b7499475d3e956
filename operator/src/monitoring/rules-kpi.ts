// The seed's KPI table (docs/runbook.md): response time, throughput, error rate, CPU, memory,
// registrations and login success, each at the table's alert threshold.
import { buckets, series, testInstance as inst, type AlertDefinition } from './alert-definition.ts';
import { byInstance } from './promql.ts';

const duration = 'http_request_duration_seconds';
/** Requests that reached a service once: the gateway's own series would count them twice. */
const notGateway = 'service_name!="gateway"';
const auth = { ...inst, service_name: 'auth' };
const pod = { ...auth, instance: '10.0.0.7:8001' };

const loginsCounted = 'result=~"success|mfa_required|failure|locked"';
const loginsOk = 'result=~"success|mfa_required"';

export const kpiAlerts: AlertDefinition[] = [
  {
    alert: 'UmsHighLatencyP95',
    probe: (s) =>
      `histogram_quantile(0.95, sum ${byInstance('service_name', 'le')} (rate(${s.app(`${duration}_bucket`)}[5m])))`,
    threshold: '> 0.5',
    for: '10m',
    severity: 'warning',
    summary:
      '{{ $labels.service_name }} of {{ $labels.ums_instance }} answers slowly (p95 above 500 ms)',
    description:
      'The 95th percentile of {{ $labels.service_name }} request durations in {{ $labels.namespace }}/{{ $labels.ums_instance }} is {{ $value | humanizeDuration }}; the KPI target is below 200 ms and the alert threshold 500 ms.',
    cases: [
      {
        name: 'every request takes between 0.5 s and 1 s',
        series: buckets(duration, { ...auth, route: '/api/v1/auth/login' }, [
          ['0.25', '0+0x30'],
          ['0.5', '0+0x30'],
          ['1', '0+10x30'],
          ['+Inf', '0+10x30'],
        ]),
        evalTime: '20m',
        alerts: [{ labels: auth, value: '975ms' }],
      },
      {
        name: 'every request takes under 100 ms',
        series: buckets(duration, { ...auth, route: '/api/v1/auth/login' }, [
          ['0.1', '0+10x30'],
          ['0.5', '0+10x30'],
          ['+Inf', '0+10x30'],
        ]),
        evalTime: '20m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsLowThroughput',
    probe: (s) => `sum ${byInstance()} (rate(${s.app(`${duration}_count`, notGateway)}[5m])) * 60`,
    threshold: '< 500',
    for: '15m',
    severity: 'warning',
    summary: '{{ $labels.ums_instance }} serves fewer than 500 requests per minute',
    description:
      '{{ $labels.namespace }}/{{ $labels.ums_instance }} served {{ $value | humanize }} requests per minute over the last 5 minutes; the KPI target is 1000+ and the alert threshold 500.',
    cases: [
      {
        name: 'the services answer 100 requests a minute',
        series: [
          series(
            `${duration}_count`,
            { ...auth, route: '/api/v1/auth/login', method: 'POST', status_code: '200' },
            '0+100x30',
          ),
        ],
        evalTime: '25m',
        alerts: [{ labels: inst, value: '100' }],
      },
      {
        name: 'the services answer 1000 requests a minute (the gateway’s copies not counted)',
        series: [
          series(
            `${duration}_count`,
            { ...auth, route: '/api/v1/auth/login', method: 'POST', status_code: '200' },
            '0+1000x30',
          ),
          series(
            `${duration}_count`,
            {
              ...inst,
              service_name: 'gateway',
              route: '/api/v1/auth',
              method: 'POST',
              status_code: '200',
            },
            '0+1000x30',
          ),
        ],
        evalTime: '25m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsHighErrorRate',
    // Without the `or ... * 0`, a service with no 5xx at all would have no ratio.
    probe: (s) =>
      `(sum ${byInstance('service_name')} (rate(${s.app(`${duration}_count`, 'status_code=~"5.."')}[5m]))` +
      ` or sum ${byInstance('service_name')} (rate(${s.app(`${duration}_count`)}[5m])) * 0)` +
      ` / sum ${byInstance('service_name')} (rate(${s.app(`${duration}_count`)}[5m]))`,
    threshold: '> 0.01',
    for: '10m',
    severity: 'critical',
    summary:
      'More than 1 % of {{ $labels.service_name }} requests fail with 5xx in {{ $labels.ums_instance }}',
    description:
      '{{ $value | humanizePercentage }} of {{ $labels.service_name }} requests in {{ $labels.namespace }}/{{ $labels.ums_instance }} ended in a 5xx over the last 5 minutes; the KPI target is below 0.1 % and the alert threshold 1 %.',
    cases: [
      {
        name: '5 of every 100 requests fail',
        series: [
          series(
            `${duration}_count`,
            { ...auth, route: '/api/v1/auth/login', method: 'POST', status_code: '200' },
            '0+95x30',
          ),
          series(
            `${duration}_count`,
            { ...auth, route: '/api/v1/auth/login', method: 'POST', status_code: '500' },
            '0+5x30',
          ),
        ],
        evalTime: '20m',
        alerts: [{ labels: auth, value: '5%' }],
      },
      {
        name: '1 of every 1000 requests fails',
        series: [
          series(
            `${duration}_count`,
            { ...auth, route: '/api/v1/auth/login', method: 'POST', status_code: '200' },
            '0+999x30',
          ),
          series(
            `${duration}_count`,
            { ...auth, route: '/api/v1/auth/login', method: 'POST', status_code: '503' },
            '0+1x30',
          ),
        ],
        evalTime: '20m',
        alerts: [],
      },
      {
        name: 'no request has ever failed (the ratio is 0, not missing)',
        series: [
          series(
            `${duration}_count`,
            { ...auth, route: '/api/v1/auth/login', method: 'POST', status_code: '200' },
            '0+100x30',
          ),
        ],
        evalTime: '20m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsHighCpu',
    probe: (s) =>
      `sum ${byInstance('service_name', 'instance')} (rate(${s.app('process_cpu_seconds_total')}[5m]))` +
      ` / max ${byInstance('service_name', 'instance')} (${s.app('ums_process_cpu_limit_cores')})`,
    threshold: '> 0.85',
    for: '15m',
    severity: 'warning',
    summary:
      'A {{ $labels.service_name }} process of {{ $labels.ums_instance }} uses more than 85 % of its CPU limit',
    description:
      '{{ $labels.service_name }} at {{ $labels.instance }} in {{ $labels.namespace }}/{{ $labels.ums_instance }} uses {{ $value | humanizePercentage }} of its CPU limit (cgroup cpu.max, or the cores it may run on); the KPI target is below 70 % and the alert threshold 85 %.',
    cases: [
      {
        name: 'the process burns 0.9 of its 1 core',
        series: [
          series('process_cpu_seconds_total', pod, '0+54x30'),
          series('ums_process_cpu_limit_cores', pod, '1+0x30'),
        ],
        evalTime: '25m',
        alerts: [{ labels: pod, value: '90%' }],
      },
      {
        name: 'the process burns half a core of 1',
        series: [
          series('process_cpu_seconds_total', pod, '0+30x30'),
          series('ums_process_cpu_limit_cores', pod, '1+0x30'),
        ],
        evalTime: '25m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsHighMemory',
    probe: (s) =>
      `max ${byInstance('service_name', 'instance')} (${s.app('process_resident_memory_bytes')})` +
      ` / max ${byInstance('service_name', 'instance')} (${s.app('ums_process_memory_limit_bytes')})`,
    threshold: '> 0.9',
    for: '10m',
    severity: 'critical',
    summary:
      'A {{ $labels.service_name }} process of {{ $labels.ums_instance }} uses more than 90 % of its memory limit',
    description:
      '{{ $labels.service_name }} at {{ $labels.instance }} in {{ $labels.namespace }}/{{ $labels.ums_instance }} holds {{ $value | humanizePercentage }} of its memory limit (cgroup memory.max, or the host memory) resident; past 100 % the kernel kills it. KPI target below 80 %, alert threshold 90 %.',
    cases: [
      {
        name: '480 MiB of a 512 MiB limit are resident',
        series: [
          series('process_resident_memory_bytes', pod, '503316480+0x20'),
          series('ums_process_memory_limit_bytes', pod, '536870912+0x20'),
        ],
        evalTime: '15m',
        alerts: [{ labels: pod, value: '93.75%' }],
      },
      {
        name: '256 MiB of a 512 MiB limit are resident',
        series: [
          series('process_resident_memory_bytes', pod, '268435456+0x20'),
          series('ums_process_memory_limit_bytes', pod, '536870912+0x20'),
        ],
        evalTime: '15m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsLowRegistrations',
    probe: (s) => `sum ${byInstance()} (increase(${s.app('ums_auth_registrations_total')}[1d]))`,
    threshold: '< 50',
    for: '1h',
    severity: 'warning',
    summary: '{{ $labels.ums_instance }} registered fewer than 50 users in the last day',
    description:
      '{{ $labels.namespace }}/{{ $labels.ums_instance }} registered {{ $value | humanize }} users over the last 24 hours; the KPI target is 100+ a day and the alert threshold 50.',
    cases: [
      {
        name: 'one user registers every 50 minutes (28.8 a day)',
        interval: '10m',
        series: [
          series(
            'ums_auth_registrations_total',
            { ...auth, instance: '10.0.0.7:8001' },
            '0+0.2x200',
          ),
        ],
        evalTime: '26h',
        alerts: [{ labels: inst, value: '28.8' }],
      },
      {
        name: 'one user registers every 10 minutes (144 a day)',
        interval: '10m',
        series: [
          series('ums_auth_registrations_total', { ...auth, instance: '10.0.0.7:8001' }, '0+1x200'),
        ],
        evalTime: '26h',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsLowLoginSuccessRate',
    // Password checks that passed over those that ran: throttled attempts never reached one.
    probe: (s) =>
      `(sum ${byInstance()} (rate(${s.app('ums_auth_logins_total', loginsOk)}[15m]))` +
      ` or sum ${byInstance()} (rate(${s.app('ums_auth_logins_total', loginsCounted)}[15m])) * 0)` +
      ` / sum ${byInstance()} (rate(${s.app('ums_auth_logins_total', loginsCounted)}[15m]))`,
    // A handful of mistyped passwords at night is no incident: at least 20 attempts.
    threshold: (s) =>
      `< 0.9 and sum ${byInstance()} (increase(${s.app('ums_auth_logins_total', loginsCounted)}[15m])) >= 20`,
    for: '15m',
    severity: 'warning',
    summary: 'Fewer than 90 % of sign-ins to {{ $labels.ums_instance }} succeed',
    description:
      'Over the last 15 minutes {{ $value | humanizePercentage }} of the sign-in attempts to {{ $labels.namespace }}/{{ $labels.ums_instance }} had the right password (success or MFA step next); the KPI target is 95 %+ and the alert threshold 90 %.',
    cases: [
      {
        name: 'a third of sign-ins fail',
        series: [
          series('ums_auth_logins_total', { ...auth, result: 'success' }, '0+10x45'),
          series('ums_auth_logins_total', { ...auth, result: 'failure' }, '0+5x45'),
          series('ums_auth_logins_total', { ...auth, result: 'throttled' }, '0+100x45'),
        ],
        evalTime: '40m',
        alerts: [{ labels: inst, value: '66.67%' }],
      },
      {
        name: '95 % of sign-ins succeed or go on to MFA',
        series: [
          series('ums_auth_logins_total', { ...auth, result: 'success' }, '0+15x45'),
          series('ums_auth_logins_total', { ...auth, result: 'mfa_required' }, '0+4x45'),
          series('ums_auth_logins_total', { ...auth, result: 'failure' }, '0+1x45'),
        ],
        evalTime: '40m',
        alerts: [],
      },
      {
        name: 'most of very few sign-ins fail (under 20 in 15 minutes)',
        series: [
          series('ums_auth_logins_total', { ...auth, result: 'success' }, '0+0.1x45'),
          series('ums_auth_logins_total', { ...auth, result: 'failure' }, '0+1x45'),
        ],
        evalTime: '40m',
        alerts: [],
      },
    ],
  },
];

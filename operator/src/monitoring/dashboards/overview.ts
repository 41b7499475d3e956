// Platform overview: RED per service and per route, the business KPIs (throughput, login
// success, registrations, sessions) and saturation (CPU, memory, event loop, pools, disk).
import { panelSelectors as s, realFilesystems } from '../promql.ts';
import { Board } from './panels.ts';

const count = 'http_request_duration_seconds_count';
const bucket = 'http_request_duration_seconds_bucket';
const rate = (sel: string) => `rate(${sel}[$__rate_interval])`;

/** 5xx share grouped by `by`; 0 rather than no series where nothing failed. */
const errorRatio = (by: string) =>
  `(sum by (${by}) (${rate(s.app(count, 'status_code=~"5.."'))}) or sum by (${by}) (${rate(s.app(count))}) * 0)` +
  ` / sum by (${by}) (${rate(s.app(count))})`;
const p95 = (by: string) => `histogram_quantile(0.95, sum by (${by}, le) (${rate(s.app(bucket))}))`;

const loginsCounted = 'result=~"success|mfa_required|failure|locked"';
export const loginSuccessRate = (by: string, window = '$__rate_interval') =>
  `(sum by (${by}) (rate(${s.app('ums_auth_logins_total', 'result=~"success|mfa_required"')}[${window}]))` +
  ` or sum by (${by}) (rate(${s.app('ums_auth_logins_total', loginsCounted)}[${window}])) * 0)` +
  ` / sum by (${by}) (rate(${s.app('ums_auth_logins_total', loginsCounted)}[${window}]))`;

const perProcess = 'service_name, instance';

export function overviewDashboard(): object {
  return new Board(
    'ums-overview',
    'UMS / Platform overview',
    'Requests, errors and latency per service and route; the seed KPIs; saturation of every process.',
    'app',
  )
    .row('Requests, errors, duration')
    .timeseries(
      'Requests per second by service',
      [{ expr: `sum by (service_name) (${rate(s.app(count))})`, legend: '{{service_name}}' }],
      { unit: 'reqps', span: 8 },
    )
    .timeseries(
      '5xx ratio by service',
      [{ expr: errorRatio('service_name'), legend: '{{service_name}}' }],
      { unit: 'percentunit', span: 8, min: 0, redAt: 0.01, warnAt: 0.001 },
    )
    .timeseries(
      'p95 duration by service',
      [{ expr: p95('service_name'), legend: '{{service_name}}' }],
      { unit: 's', span: 8, redAt: 0.5, warnAt: 0.2 },
    )
    .timeseries(
      'Requests per second by route',
      [
        {
          expr: `sum by (service_name, method, route) (${rate(s.app(count))})`,
          legend: '{{service_name}} {{method}} {{route}}',
        },
      ],
      { unit: 'reqps', span: 8, height: 10 },
    )
    .timeseries(
      '5xx ratio by route',
      [{ expr: errorRatio('service_name, route'), legend: '{{service_name}} {{route}}' }],
      { unit: 'percentunit', span: 8, height: 10, min: 0, redAt: 0.01 },
    )
    .timeseries(
      'p95 duration by route',
      [{ expr: p95('service_name, route'), legend: '{{service_name}} {{route}}' }],
      { unit: 's', span: 8, height: 10, redAt: 0.5 },
    )
    .row('Business')
    .stat(
      'Throughput (requests per minute)',
      [
        {
          expr: `sum by (ums_instance) (${rate(s.app(count, 'service_name!="gateway"'))}) * 60`,
          legend: '{{ums_instance}}',
        },
      ],
      {
        unit: 'reqpm',
        lowIsBad: true,
        redAt: 500,
        warnAt: 1000,
        description: 'KPI: 1000+ a minute, alert below 500.',
      },
    )
    .stat(
      'Login success rate (15 min)',
      [{ expr: loginSuccessRate('ums_instance', '15m'), legend: '{{ums_instance}}' }],
      {
        unit: 'percentunit',
        lowIsBad: true,
        redAt: 0.9,
        warnAt: 0.95,
        description:
          'Sign-ins with the right password (success or MFA step next) over those whose password was checked.',
      },
    )
    .stat(
      'Registrations (last 24 h)',
      [
        {
          expr: `sum by (ums_instance) (increase(${s.app('ums_auth_registrations_total')}[1d]))`,
          legend: '{{ums_instance}}',
        },
      ],
      {
        unit: 'short',
        lowIsBad: true,
        redAt: 50,
        warnAt: 100,
        description: 'KPI: 100+ a day, alert below 50.',
      },
    )
    .stat(
      'Active sessions',
      [
        // Every auth pod reads the same table.
        {
          expr: `max by (ums_instance) (${s.app('ums_auth_active_sessions')})`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 'short' },
    )
    .timeseries(
      'Sign-in attempts by result',
      [
        {
          expr: `sum by (result) (${rate(s.app('ums_auth_logins_total'))})`,
          legend: '{{result}}',
        },
      ],
      { unit: 'reqps' },
    )
    .timeseries(
      'Registrations per day',
      [
        {
          expr: `sum by (ums_instance) (increase(${s.app('ums_auth_registrations_total')}[1d]))`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 'short', lowIsBad: true, redAt: 50 },
    )
    .row('Saturation')
    .timeseries(
      'CPU used of the limit, per process',
      [
        {
          expr:
            `sum by (${perProcess}) (${rate(s.app('process_cpu_seconds_total'))})` +
            ` / max by (${perProcess}) (${s.app('ums_process_cpu_limit_cores')})`,
          legend: '{{service_name}} {{instance}}',
        },
      ],
      { unit: 'percentunit', span: 8, min: 0, redAt: 0.85, warnAt: 0.7 },
    )
    .timeseries(
      'Memory resident of the limit, per process',
      [
        {
          expr:
            `max by (${perProcess}) (${s.app('process_resident_memory_bytes')})` +
            ` / max by (${perProcess}) (${s.app('ums_process_memory_limit_bytes')})`,
          legend: '{{service_name}} {{instance}}',
        },
      ],
      { unit: 'percentunit', span: 8, min: 0, redAt: 0.9, warnAt: 0.8 },
    )
    .timeseries(
      'Event loop lag (p99)',
      [
        {
          expr: `max by (${perProcess}) (${s.app('nodejs_eventloop_lag_p99_seconds')})`,
          legend: '{{service_name}} {{instance}}',
        },
      ],
      { unit: 's', span: 8 },
    )
    .timeseries(
      'Database pool connections in use',
      [
        {
          expr:
            `max by (${perProcess}, db) (${s.app('ums_db_pool_connections', 'state="active"')})` +
            ` / max by (${perProcess}, db) (${s.app('ums_db_pool_max_connections')})`,
          legend: '{{service_name}} {{db}} {{instance}}',
        },
      ],
      { unit: 'percentunit', min: 0, max: 1, redAt: 0.9 },
    )
    .timeseries(
      'Disk used (node exporter)',
      [
        {
          expr:
            `max by (instance, mountpoint) (1 - ${s.cluster('node_filesystem_avail_bytes', realFilesystems)}` +
            ` / ${s.cluster('node_filesystem_size_bytes', realFilesystems)})`,
          legend: '{{instance}} {{mountpoint}}',
        },
      ],
      { unit: 'percentunit', min: 0, max: 1, redAt: 0.85, warnAt: 0.75 },
    )
    .build();
}

// One dashboard per database the platform uses: PostgreSQL (auth's pool), MongoDB (profile's
// pool) and Redis (every client's connection, and the event stream it carries).
import { panelSelectors as s } from '../promql.ts';
import { Board } from './panels.ts';

const rate = (sel: string) => `rate(${sel}[$__rate_interval])`;
const perPod = 'service_name, instance';

function poolDashboard(db: 'postgres' | 'mongodb', title: string, service: string): object {
  const dbm = `db="${db}"`;
  return new Board(
    `ums-${db}`,
    `UMS / ${title}`,
    `The ${title} connection pool of each ${service} process and the latency of the service that uses it.`,
    'app',
  )
    .row('Pool')
    .stat(
      'Pool in use (highest process)',
      [
        {
          expr:
            `max by (ums_instance) (max by (ums_instance, ${perPod}) (${s.app('ums_db_pool_connections', dbm, 'state="active"')})` +
            ` / max by (ums_instance, ${perPod}) (${s.app('ums_db_pool_max_connections', dbm)}))`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 'percentunit', redAt: 0.9, warnAt: 0.7 },
    )
    .stat(
      'Callers waiting for a connection',
      [
        {
          expr: `sum by (ums_instance) (${s.app('ums_db_pool_connections', dbm, 'state="waiting"')})`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 'short', redAt: 1 },
    )
    .timeseries(
      'Connections by state, per process',
      [
        {
          expr: `max by (${perPod}, state) (${s.app('ums_db_pool_connections', dbm)})`,
          legend: '{{instance}} {{state}}',
        },
        {
          expr: `max by (${perPod}) (${s.app('ums_db_pool_max_connections', dbm)})`,
          legend: '{{instance}} max',
        },
      ],
      { unit: 'short' },
    )
    .timeseries(
      'Pool in use, per process',
      [
        {
          expr:
            `max by (${perPod}) (${s.app('ums_db_pool_connections', dbm, 'state="active"')})` +
            ` / max by (${perPod}) (${s.app('ums_db_pool_max_connections', dbm)})`,
          legend: '{{service_name}} {{instance}}',
        },
      ],
      { unit: 'percentunit', min: 0, max: 1, redAt: 0.9 },
    )
    .row(`The ${service} service`)
    .timeseries(
      `${service} p95 duration by route`,
      [
        {
          expr: `histogram_quantile(0.95, sum by (route, le) (${rate(s.app('http_request_duration_seconds_bucket', `service_name="${service}"`))}))`,
          legend: '{{route}}',
        },
      ],
      { unit: 's', span: 24, redAt: 0.5 },
    )
    .build();
}

export const postgresDashboard = (): object => poolDashboard('postgres', 'PostgreSQL', 'auth');
export const mongodbDashboard = (): object => poolDashboard('mongodb', 'MongoDB', 'profile');

export function redisDashboard(): object {
  return new Board(
    'ums-redis',
    'UMS / Redis',
    'Whether each service’s Redis clients are connected, and the event stream Redis carries.',
    'app',
  )
    .row('Clients')
    .stat(
      'Clients disconnected',
      [
        {
          expr: `sum by (ums_instance) (1 - ${s.app('ums_redis_connected')})`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 'short', redAt: 1 },
    )
    .timeseries(
      'Connected (1) or not (0), per client',
      [
        {
          expr: `min by (${perPod}, client) (${s.app('ums_redis_connected')})`,
          legend: '{{service_name}} {{client}} {{instance}}',
        },
      ],
      { min: 0, max: 1, span: 18, lowIsBad: true, redAt: 1 },
    )
    .row('Event stream')
    .timeseries(
      'Stream length',
      [
        {
          expr: `max by (ums_instance, stream) (${s.app('ums_events_stream_length')})`,
          legend: '{{ums_instance}} {{stream}}',
        },
      ],
      { unit: 'short' },
    )
    .timeseries(
      'Consumer lag and pending',
      [
        {
          expr: `max by (stream, group) (${s.app('ums_events_consumer_lag')})`,
          legend: 'lag {{stream}} → {{group}}',
        },
        {
          expr: `max by (stream, group) (${s.app('ums_events_consumer_pending')})`,
          legend: 'pending {{stream}} → {{group}}',
        },
      ],
      { unit: 'short' },
    )
    .build();
}

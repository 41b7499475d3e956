// The events pipeline: auth's outbox, the relay publishing to the Redis Stream, the stream and
// the profile service's consumer group.
import { panelSelectors as s } from '../promql.ts';
import { Board } from './panels.ts';

const rate = (sel: string) => `rate(${sel}[$__rate_interval])`;

export function eventsDashboard(): object {
  return new Board(
    'ums-events',
    'UMS / Events pipeline',
    'Outbox (auth) → relay → Redis Stream → consumer group (profile): backlog, age, lag and outcomes.',
    'app',
  )
    .row('Now')
    .stat(
      'Outbox backlog',
      [
        {
          expr: `max by (ums_instance) (${s.app('ums_auth_outbox_backlog')})`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 'short', redAt: 100, warnAt: 10 },
    )
    .stat(
      'Oldest unpublished event',
      [
        {
          expr: `max by (ums_instance) (${s.app('ums_auth_outbox_oldest_age_seconds')})`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 's', redAt: 300, warnAt: 60 },
    )
    .stat(
      'Consumer lag',
      [
        {
          expr: `max by (ums_instance, group) (${s.app('ums_events_consumer_lag')})`,
          legend: '{{ums_instance}} {{group}}',
        },
      ],
      { unit: 'short', redAt: 100, warnAt: 1 },
    )
    .stat(
      'Stream length',
      [
        {
          expr: `max by (ums_instance, stream) (${s.app('ums_events_stream_length')})`,
          legend: '{{ums_instance}} {{stream}}',
        },
      ],
      { unit: 'short' },
    )
    .row('Outbox and relay (auth)')
    .timeseries(
      'Outbox backlog',
      [
        {
          expr: `max by (ums_instance) (${s.app('ums_auth_outbox_backlog')})`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 'short', span: 8, redAt: 100 },
    )
    .timeseries(
      'Oldest unpublished event age',
      [
        {
          expr: `max by (ums_instance) (${s.app('ums_auth_outbox_oldest_age_seconds')})`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 's', span: 8, redAt: 300 },
    )
    .timeseries(
      'Events published per second',
      [
        {
          expr: `sum by (ums_instance) (${rate(s.app('ums_auth_events_published_total'))})`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 'ops', span: 8 },
    )
    .row('Stream and consumer (profile)')
    .timeseries(
      'Stream length',
      [
        {
          expr: `max by (ums_instance, stream) (${s.app('ums_events_stream_length')})`,
          legend: '{{ums_instance}} {{stream}}',
        },
      ],
      { unit: 'short', span: 8 },
    )
    .timeseries(
      'Consumer lag (not yet delivered)',
      [
        {
          expr: `max by (ums_instance, stream, group) (${s.app('ums_events_consumer_lag')})`,
          legend: '{{stream}} → {{group}}',
        },
      ],
      {
        unit: 'short',
        span: 8,
        redAt: 1,
        description: 'UmsEventConsumerLag fires when it stays above 0.',
      },
    )
    .timeseries(
      'Pending (delivered, not acknowledged)',
      [
        {
          expr: `max by (ums_instance, stream, group) (${s.app('ums_events_consumer_pending')})`,
          legend: '{{stream}} → {{group}}',
        },
      ],
      { unit: 'short', span: 8 },
    )
    .timeseries(
      'Events handled by profile, by result',
      [
        {
          expr: `sum by (result) (${rate(s.app('ums_profile_events_total'))})`,
          legend: '{{result}}',
        },
      ],
      { unit: 'ops', span: 24 },
    )
    .build();
}

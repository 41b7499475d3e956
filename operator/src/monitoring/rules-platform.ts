// The platform's own failure modes: scrape targets, the outbox and the event stream, security
// signals, database pools, Redis, signing keys and the instance's Ready condition.
import { series, testInstance as inst, type AlertDefinition } from './alert-definition.ts';
import { byInstance } from './promql.ts';

const auth = { ...inst, service_name: 'auth' };
const authPod = { ...auth, instance: '10.0.0.7:8001' };
const profilePod = { ...inst, service_name: 'profile', instance: '10.0.0.8:8002' };
const stream = { stream: 'ums:events', group: 'profile' };

export const platformAlerts: AlertDefinition[] = [
  {
    alert: 'UmsTargetDown',
    probe: (s) => `max ${byInstance('job', 'instance')} (${s.app('up')})`,
    threshold: '== 0',
    for: '5m',
    severity: 'critical',
    summary:
      '{{ $labels.job }} at {{ $labels.instance }} ({{ $labels.ums_instance }}) does not answer scrapes',
    description:
      'Prometheus has not been able to scrape {{ $labels.job }} at {{ $labels.instance }} in {{ $labels.namespace }}/{{ $labels.ums_instance }} for 5 minutes: the pod is down, not ready, or its /metrics fails.',
    cases: [
      {
        name: 'the target stops answering',
        series: [series('up', { ...inst, job: 'auth', instance: '10.0.0.7:8001' }, '1 1 0+0x20')],
        evalTime: '15m',
        alerts: [{ labels: { ...inst, job: 'auth', instance: '10.0.0.7:8001' } }],
      },
      {
        name: 'the target misses one scrape and answers again',
        series: [series('up', { ...inst, job: 'auth', instance: '10.0.0.7:8001' }, '1 1 0 1+0x20')],
        evalTime: '15m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsOutboxBacklog',
    // Every auth pod reads the same table: the largest reading, not their sum.
    probe: (s) => `max ${byInstance()} (${s.app('ums_auth_outbox_backlog')})`,
    threshold: '> 100',
    for: '10m',
    severity: 'warning',
    summary: '{{ $labels.ums_instance }} has more than 100 unpublished events in the outbox',
    description:
      '{{ $value | humanize }} outbox rows of {{ $labels.namespace }}/{{ $labels.ums_instance }} wait to be published to the Redis Stream: the relay is slow, stopped or cannot reach Redis.',
    cases: [
      {
        name: '500 rows wait for 20 minutes',
        series: [series('ums_auth_outbox_backlog', authPod, '500+0x30')],
        evalTime: '20m',
        alerts: [{ labels: inst, value: '500' }],
      },
      {
        name: 'a few rows wait between relay runs',
        series: [series('ums_auth_outbox_backlog', authPod, '5+0x30')],
        evalTime: '20m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsOutboxStale',
    probe: (s) => `max ${byInstance()} (${s.app('ums_auth_outbox_oldest_age_seconds')})`,
    threshold: '> 300',
    for: '5m',
    severity: 'critical',
    summary: 'The oldest unpublished event of {{ $labels.ums_instance }} is older than 5 minutes',
    description:
      'The oldest outbox row of {{ $labels.namespace }}/{{ $labels.ums_instance }} has waited {{ $value | humanizeDuration }} to be published: profiles are out of date with accounts until the relay catches up.',
    cases: [
      {
        name: 'nothing is published and the oldest row ages',
        series: [series('ums_auth_outbox_oldest_age_seconds', authPod, '0+60x30')],
        evalTime: '20m',
        alerts: [{ labels: inst, value: '20m 0s' }],
      },
      {
        name: 'the outbox is empty',
        series: [series('ums_auth_outbox_oldest_age_seconds', authPod, '0+0x30')],
        evalTime: '20m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsEventConsumerLag',
    // A consumer that keeps up reads each entry within milliseconds: a lag that stays above
    // zero at every evaluation for the whole `for:` means it has stopped or fallen behind.
    probe: (s) => `max ${byInstance('stream', 'group')} (${s.app('ums_events_consumer_lag')})`,
    threshold: '> 0',
    for: '10m',
    severity: 'warning',
    summary:
      'Consumer group {{ $labels.group }} of {{ $labels.ums_instance }} falls behind stream {{ $labels.stream }}',
    description:
      '{{ $value | humanize }} entries of stream {{ $labels.stream }} in {{ $labels.namespace }}/{{ $labels.ums_instance }} have not been delivered to consumer group {{ $labels.group }}, and the lag has not come back to zero: the consumer is stopped or slower than the producer.',
    cases: [
      {
        name: 'the consumer stops while events keep coming',
        series: [series('ums_events_consumer_lag', { ...authPod, ...stream }, '0+3x30')],
        evalTime: '20m',
        alerts: [{ labels: { ...inst, ...stream }, value: '60' }],
      },
      {
        name: 'the lag comes back to zero after each burst',
        series: [
          series(
            'ums_events_consumer_lag',
            { ...authPod, ...stream },
            '0 0 4 0 0 0 0 7 0 0 0 0 2 0 0 0 0 0 0 5 0',
          ),
        ],
        evalTime: '20m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsRefreshTokenReuse',
    probe: (s) =>
      `sum ${byInstance()} (increase(${s.app('ums_auth_refresh_token_reuse_total')}[10m]))`,
    threshold: '> 0',
    for: '1m',
    severity: 'warning',
    summary: 'A rotated refresh token was presented again to {{ $labels.ums_instance }}',
    description:
      'About {{ $value | printf "%.0f" }} refresh token(s) already exchanged were presented again to {{ $labels.namespace }}/{{ $labels.ums_instance }} in the last 10 minutes; auth revoked the session each belonged to. One is usually a client bug; several may be stolen tokens.',
    cases: [
      {
        name: 'one reuse is detected',
        series: [series('ums_auth_refresh_token_reuse_total', authPod, '0 0 0 1+0x10')],
        evalTime: '6m',
        alerts: [{ labels: inst, value: '1' }],
      },
      {
        name: 'no reuse for 20 minutes',
        series: [series('ums_auth_refresh_token_reuse_total', authPod, '3+0x20')],
        evalTime: '20m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsLockoutSpike',
    probe: (s) => `sum ${byInstance()} (increase(${s.app('ums_auth_lockouts_total')}[15m]))`,
    threshold: '> 10',
    for: '5m',
    severity: 'warning',
    summary: 'More than 10 accounts of {{ $labels.ums_instance }} were locked in 15 minutes',
    description:
      '{{ $value | humanize }} accounts of {{ $labels.namespace }}/{{ $labels.ums_instance }} were locked after repeated failed sign-ins in the last 15 minutes: likely credential stuffing or a password-spraying attack, or a client sending a wrong password in a loop.',
    cases: [
      {
        name: 'two accounts are locked every minute',
        series: [series('ums_auth_lockouts_total', authPod, '0+2x30')],
        evalTime: '25m',
        alerts: [{ labels: inst, value: '30' }],
      },
      {
        name: 'an account is locked every five minutes',
        series: [series('ums_auth_lockouts_total', authPod, '0+0.2x30')],
        evalTime: '25m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsDbPoolSaturated',
    probe: (s) =>
      `max ${byInstance('service_name', 'instance', 'db')} (${s.app('ums_db_pool_connections', 'state="active"')})` +
      ` / max ${byInstance('service_name', 'instance', 'db')} (${s.app('ums_db_pool_max_connections')})`,
    threshold: '> 0.9',
    for: '10m',
    severity: 'warning',
    summary:
      'The {{ $labels.db }} pool of {{ $labels.service_name }} ({{ $labels.ums_instance }}) is nearly exhausted',
    description:
      '{{ $labels.service_name }} at {{ $labels.instance }} in {{ $labels.namespace }}/{{ $labels.ums_instance }} uses {{ $value | humanizePercentage }} of its {{ $labels.db }} connections: requests queue for a connection (see ums_db_pool_connections{state="waiting"}).',
    cases: [
      {
        name: 'every connection of the pool is in use',
        series: [
          series(
            'ums_db_pool_connections',
            { ...authPod, db: 'postgres', state: 'active' },
            '10+0x20',
          ),
          series(
            'ums_db_pool_connections',
            { ...authPod, db: 'postgres', state: 'waiting' },
            '4+0x20',
          ),
          series('ums_db_pool_max_connections', { ...authPod, db: 'postgres' }, '10+0x20'),
        ],
        evalTime: '15m',
        alerts: [{ labels: { ...authPod, db: 'postgres' }, value: '100%' }],
      },
      {
        name: 'two connections of ten are in use',
        series: [
          series(
            'ums_db_pool_connections',
            { ...profilePod, db: 'mongodb', state: 'active' },
            '2+0x20',
          ),
          series('ums_db_pool_max_connections', { ...profilePod, db: 'mongodb' }, '10+0x20'),
        ],
        evalTime: '15m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsRedisDisconnected',
    probe: (s) =>
      `min ${byInstance('service_name', 'instance', 'client')} (${s.app('ums_redis_connected')})`,
    threshold: '== 0',
    for: '5m',
    severity: 'critical',
    summary:
      'The {{ $labels.client }} Redis client of {{ $labels.service_name }} ({{ $labels.ums_instance }}) is disconnected',
    description:
      '{{ $labels.service_name }} at {{ $labels.instance }} in {{ $labels.namespace }}/{{ $labels.ums_instance }} has had no ready {{ $labels.client }} connection to Redis for 5 minutes: caching, rate limits or the event stream depend on it.',
    cases: [
      {
        name: 'the client loses Redis',
        series: [series('ums_redis_connected', { ...profilePod, client: 'stream' }, '1 1 0+0x20')],
        evalTime: '15m',
        alerts: [{ labels: { ...profilePod, client: 'stream' } }],
      },
      {
        name: 'the client reconnects within a minute',
        series: [
          series('ums_redis_connected', { ...profilePod, client: 'stream' }, '1 1 0 1+0x20'),
        ],
        evalTime: '15m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsSigningKeyOverdue',
    probe: (s) =>
      `max ${byInstance()} (${s.app('ums_auth_signing_key_age_seconds')})` +
      ` - max ${byInstance()} (${s.app('ums_auth_signing_key_rotation_period_seconds')})`,
    threshold: '> 0',
    for: '1h',
    severity: 'warning',
    summary: 'The signing key of {{ $labels.ums_instance }} is older than its rotation period',
    description:
      'The active token signing key of {{ $labels.namespace }}/{{ $labels.ums_instance }} is {{ $value | humanizeDuration }} past its rotation period: automatic rotation is not running (run `npm run keys:rotate` or see the runbook).',
    cases: [
      {
        name: 'the key passed its 30-day period and keeps ageing',
        series: [
          series('ums_auth_signing_key_age_seconds', authPod, '2600000+60x100'),
          series('ums_auth_signing_key_rotation_period_seconds', authPod, '2592000+0x100'),
        ],
        evalTime: '90m',
        alerts: [{ labels: inst, value: '3h 43m 20s' }],
      },
      {
        name: 'the key is one day old',
        series: [
          series('ums_auth_signing_key_age_seconds', authPod, '86400+60x100'),
          series('ums_auth_signing_key_rotation_period_seconds', authPod, '2592000+0x100'),
        ],
        evalTime: '90m',
        alerts: [],
      },
    ],
  },
  {
    alert: 'UmsInstanceNotReady',
    // The operator's gauge names the instance `instance_namespace`/`instance_name`; the alert
    // carries `namespace`/`ums_instance` like every other instance alert, for routing.
    probe: (s) =>
      'label_replace(label_replace(' +
      `max by (instance_namespace, instance_name) (${s.operatorInstance('ums_operator_instance_ready')}),` +
      ' "namespace", "$1", "instance_namespace", "(.*)"), "ums_instance", "$1", "instance_name", "(.*)")',
    threshold: '== 0',
    for: '10m',
    severity: 'critical',
    summary:
      'UserManagementInstance {{ $labels.namespace }}/{{ $labels.ums_instance }} is not Ready',
    description:
      'The operator has reported {{ $labels.namespace }}/{{ $labels.ums_instance }} not Ready for 10 minutes: `kubectl describe umi {{ $labels.ums_instance }} -n {{ $labels.namespace }}` shows the condition that holds it.',
    cases: [
      {
        name: 'the instance stays not Ready',
        series: [
          series(
            'ums_operator_instance_ready',
            {
              namespace: 'ums-system',
              instance: '10.0.0.2:8080',
              instance_namespace: 'ums-prod',
              instance_name: 'ums',
            },
            '1 0+0x30',
          ),
        ],
        evalTime: '20m',
        alerts: [{ labels: { instance_namespace: 'ums-prod', instance_name: 'ums', ...inst } }],
      },
      {
        name: 'the instance is Ready again after a rollout',
        series: [
          series(
            'ums_operator_instance_ready',
            {
              namespace: 'ums-system',
              instance: '10.0.0.2:8080',
              instance_namespace: 'ums-prod',
              instance_name: 'ums',
            },
            '1 0 0 0 1+0x30',
          ),
        ],
        evalTime: '20m',
        alerts: [],
      },
    ],
  },
];

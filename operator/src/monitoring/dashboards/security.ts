// Security: sign-in outcomes, lockouts, throttled requests, refresh-token reuse and MFA use.
import { panelSelectors as s } from '../promql.ts';
import { loginSuccessRate } from './overview.ts';
import { Board } from './panels.ts';

const rate = (sel: string) => `rate(${sel}[$__rate_interval])`;

export function securityDashboard(): object {
  return new Board(
    'ums-security',
    'UMS / Security',
    'Sign-in outcomes, lockouts, rate-limited requests, refresh-token reuse detections and MFA verifications.',
    'app',
  )
    .row('Last 24 hours')
    .stat(
      'Accounts locked',
      [
        {
          expr: `sum by (ums_instance) (increase(${s.app('ums_auth_lockouts_total')}[1d]))`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 'short', redAt: 10, warnAt: 1 },
    )
    .stat(
      'Refresh-token reuse detections',
      [
        {
          expr: `sum by (ums_instance) (increase(${s.app('ums_auth_refresh_token_reuse_total')}[1d]))`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 'short', redAt: 1 },
    )
    .stat(
      'Requests throttled',
      [
        {
          expr: `sum by (ums_instance) (increase(${s.app('ums_http_throttled_requests_total')}[1d]))`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 'short' },
    )
    .stat(
      'Login success rate (15 min)',
      [{ expr: loginSuccessRate('ums_instance', '15m'), legend: '{{ums_instance}}' }],
      { unit: 'percentunit', lowIsBad: true, redAt: 0.9, warnAt: 0.95 },
    )
    .row('Sign-in')
    .timeseries(
      'Sign-in attempts by result',
      [{ expr: `sum by (result) (${rate(s.app('ums_auth_logins_total'))})`, legend: '{{result}}' }],
      {
        unit: 'reqps',
        description:
          'throttled: refused before the password was checked; locked: the account is locked.',
      },
    )
    .timeseries(
      'Login success rate',
      [{ expr: loginSuccessRate('ums_instance'), legend: '{{ums_instance}}' }],
      { unit: 'percentunit', min: 0, max: 1, lowIsBad: true, redAt: 0.9 },
    )
    .timeseries(
      'Accounts locked (per 15 min)',
      [
        {
          expr: `sum by (ums_instance) (increase(${s.app('ums_auth_lockouts_total')}[15m]))`,
          legend: '{{ums_instance}}',
        },
      ],
      { unit: 'short', redAt: 10, description: 'UmsLockoutSpike fires above 10 in 15 minutes.' },
    )
    .timeseries(
      'Requests throttled by limiter',
      [
        {
          expr: `sum by (service_name, limiter) (${rate(s.app('ums_http_throttled_requests_total'))})`,
          legend: '{{service_name}} {{limiter}}',
        },
      ],
      {
        unit: 'reqps',
        description: 'Requests refused with 429 by the auth throttle and the profile rate limiter.',
      },
    )
    .row('Tokens and MFA')
    .timeseries(
      'Refresh-token reuse detections (per 10 min)',
      [
        {
          expr: `sum by (ums_instance) (increase(${s.app('ums_auth_refresh_token_reuse_total')}[10m]))`,
          legend: '{{ums_instance}}',
        },
      ],
      {
        unit: 'short',
        redAt: 1,
        description:
          'A refresh token presented after rotation: the session is revoked (UmsRefreshTokenReuse).',
      },
    )
    .timeseries(
      'MFA verifications by method and result',
      [
        {
          expr: `sum by (method, result) (${rate(s.app('ums_auth_mfa_verifications_total'))})`,
          legend: '{{method}} {{result}}',
        },
      ],
      { unit: 'reqps' },
    )
    .build();
}

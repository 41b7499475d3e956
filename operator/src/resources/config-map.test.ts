import { instanceRef } from '../test-support/instance.ts';
import { appSettings, durationSeconds } from './config-map.ts';

test('when settings are rendered, then they use the names and units the services read (seconds, not durations)', () => {
  const settings = appSettings(
    instanceRef({
      security: {
        accessTokenTTL: '10m',
        refreshTokenTTL: '1h30m',
        mfa: { requiredForAdmins: true },
      },
      ingress: { enabled: true, host: 'users.example.com', tls: { secretName: 't' } },
    }),
  );
  expect(settings).toMatchObject({
    ACCESS_TOKEN_TTL: '600',
    REFRESH_ABSOLUTE_TTL: '5400',
    REFRESH_IDLE_TTL: '86400',
    LOCKOUT_DURATION: '900',
    ISSUER: 'https://users.example.com',
    COOKIE_SECURE: 'true',
    MFA_REQUIRED_ROLES: 'admin,super_admin',
    DEMO_SEED: 'false',
    HOST: '0.0.0.0',
    PORT: '8080',
  });
});

test('when a duration has several units, then they add up', () => {
  expect(durationSeconds('2h30m15s')).toBe(9015);
  expect(durationSeconds('720h')).toBe(2_592_000);
});

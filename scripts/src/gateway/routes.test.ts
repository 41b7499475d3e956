import { serviceNames, servicePathPrefixes } from '@ums/contracts/paths';
import { matchRoute, ROUTES } from './routes.ts';

describe('ROUTES', () => {
  const owned = serviceNames.flatMap((service) =>
    servicePathPrefixes[service].map((prefix) => [prefix, service] as const),
  );

  test.each(owned)(
    'when the path is the contract prefix %s, then it routes to %s',
    (prefix, service) => {
      expect(matchRoute(prefix)).toEqual({ prefix, service });
      expect(matchRoute(`${prefix}/x`)?.service).toBe(service);
    },
  );

  test('when read, then it holds the contract prefixes and nothing else', () => {
    expect(ROUTES).toHaveLength(owned.length);
  });
});

describe('matchRoute', () => {
  test.each([
    ['/api/v1/auth', 'auth'],
    ['/api/v1/auth/sign-in', 'auth'],
    ['/api/v1/accounts/123/mfa', 'auth'],
    ['/api/v1/roles', 'auth'],
    ['/.well-known/jwks.json', 'auth'],
    ['/api/v1/users/', 'profile'],
    ['/api/v1/users/42/avatar', 'profile'],
    ['/api/v1/audit-logs', 'profile'],
  ])('when the path is %s, then it routes to %s', (path, service) => {
    expect(matchRoute(path)?.service).toBe(service);
  });

  test.each([
    '/api/v1/authx',
    '/api/v1/auth-admin/x',
    '/api/v1/users-export',
    '/api/v1/audit-logsx/1',
    '/.well-knownx',
    '/api/v1',
    '/api',
    '/',
    '',
    '/API/v1/auth',
    '/v1/auth',
    '/x/api/v1/auth',
  ])('when the path is %s, then no route matches', (path) => {
    expect(matchRoute(path)).toBeUndefined();
  });

  test('when the path matches, then the owning prefix is returned', () => {
    expect(matchRoute('/api/v1/roles/admin')).toEqual({ prefix: '/api/v1/roles', service: 'auth' });
  });
});

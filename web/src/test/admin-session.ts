import { permissions } from '@ums/contracts/permissions';
import { vi } from 'vitest';
import { json, mockFetch, type Call, type Route } from './fetch-mock.ts';
import { session } from '../lib/session/session-manager.ts';

export const adminUser = { id: 'admin-1', email: 'root@example.com', role: 'super_admin' };

export function meWith(permissions: readonly string[]) {
  return {
    ...adminUser,
    permissions,
    status: 'active',
    emailVerified: true,
    mfaEnabled: true,
    firstName: 'Grace',
    lastName: 'Hopper',
    createdAt: '2025-01-02T03:04:05Z',
  };
}

export const everyPermission = permissions;

/** Signs in (no network) and answers /auth/me with `permissions`, the rest from `route`. */
export function signInAdmin(route: Route, permissions: readonly string[] = everyPermission) {
  session.signIn({ accessToken: 'at-admin', expiresIn: 900, tokenType: 'Bearer', user: adminUser });
  return mockFetch((call) =>
    call.url === '/api/v1/auth/me' ? json(200, meWith(permissions)) : route(call),
  );
}

export function cleanUpAdmin() {
  session.clear();
  vi.unstubAllGlobals();
}

export const notFound = () => json(404, { code: 'http.not_found' });

export const bodyOf = (call: Call | undefined): unknown => JSON.parse(String(call?.init.body));

export const methodOf = (call: Call | undefined): string => call?.init.method ?? 'GET';

/** The query parameters of a recorded call. */
export const paramsOf = (call: Call | undefined) =>
  Object.fromEntries(new URL(call?.url ?? '/', 'http://localhost').searchParams);

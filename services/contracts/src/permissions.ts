// The permission strings roles grant. The auth service stores and checks them, the profile
// service's routes name the ones they need, and the web app hides what they would refuse.

export const permissions = [
  'users:read',
  'users:write',
  'users:delete',
  'users:export',
  'roles:read',
  'roles:manage',
  'audit:read',
  'sessions:manage',
] as const;

export type Permission = (typeof permissions)[number];

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}

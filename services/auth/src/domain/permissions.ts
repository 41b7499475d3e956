// The permission strings roles grant. Routes name the one they need; nothing else grants access.
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

/** Roles every installation has; their names are stable, their permissions editable. */
export const systemRoles: readonly {
  name: string;
  description: string;
  permissions: readonly Permission[];
}[] = [
  { name: 'super_admin', description: 'Full system access', permissions },
  {
    name: 'admin',
    description: 'User management',
    permissions: [
      'users:read',
      'users:write',
      'users:delete',
      'users:export',
      'roles:read',
      'audit:read',
      'sessions:manage',
    ],
  },
  { name: 'user', description: 'Standard access', permissions: [] },
];

export const SUPER_ADMIN_ROLE = 'super_admin';
export const DEFAULT_ROLE = 'user';

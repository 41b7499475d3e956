// The permission strings roles grant are a contract with the profile service and the web app
// (@ums/contracts). Routes name the one they need; nothing else grants access.
import { permissions, type Permission } from '@ums/contracts/permissions';

export { isPermission, permissions, type Permission } from '@ums/contracts/permissions';

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

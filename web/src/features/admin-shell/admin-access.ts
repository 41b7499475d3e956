// What the console shows is decided by the signed-in user's permissions (from /auth/me); the
// server checks every request again, so this only hides what would be refused anyway.
import type { Permission } from '@ums/contracts/permissions';

export interface AdminSection {
  to: string;
  permission: Permission;
  labelKey: 'admin.nav.overview' | 'admin.nav.users' | 'admin.nav.roles' | 'admin.nav.audit';
}

export const adminSections: readonly AdminSection[] = [
  { to: '/admin', permission: 'users:read', labelKey: 'admin.nav.overview' },
  { to: '/admin/users', permission: 'users:read', labelKey: 'admin.nav.users' },
  { to: '/admin/roles', permission: 'roles:read', labelKey: 'admin.nav.roles' },
  { to: '/admin/audit', permission: 'audit:read', labelKey: 'admin.nav.audit' },
];

export function can(permissions: readonly string[] | undefined, permission: Permission): boolean {
  return permissions?.includes(permission) ?? false;
}

/** The sections a user may open, in menu order (empty: no console at all). */
export function visibleSections(permissions: readonly string[] | undefined): AdminSection[] {
  return adminSections.filter((section) => can(permissions, section.permission));
}

import { conflict, forbidden, notFound } from '@ums/service-kit/errors';
import { withTransaction, type Db, type Queryable } from '../data/db.ts';
import { appendEvent } from '../data/outbox.ts';
import type { RoleRecord, RolesRepository, RoleSummary } from '../data/roles-repository.ts';
import type { UsersRepository } from '../data/users-repository.ts';
import type { Actor } from './access-audit.ts';
import { permissions as allPermissions, SUPER_ADMIN_ROLE, type Permission } from './permissions.ts';

/** Permissions in their canonical order, each once, whatever order the caller sent. */
export function canonicalPermissions(list: readonly Permission[]): Permission[] {
  const wanted = new Set(list);
  return allPermissions.filter((p) => wanted.has(p));
}

/**
 * Role management. Rules:
 * - system roles (super_admin, admin, user) can be edited but never deleted;
 * - a role still assigned to a user cannot be deleted (reassign first);
 * - super_admin always keeps `roles:manage`, and nobody removes `roles:manage` from their own
 *   role, so some active account can always repair the roles (lockout protection).
 */
export function createRoleService(deps: {
  db: Db;
  roles: RolesRepository;
  users: UsersRepository;
}) {
  const { roles } = deps;

  const event = (actor: Actor) => ({
    actorId: actor.userId,
    requestId: actor.requestId,
    ip: actor.ip,
  });

  async function lockRole(tx: Queryable, name: string): Promise<RoleRecord> {
    const role = await roles.find(tx, name, 'update');
    if (!role) throw notFound('role.not_found', 'No role has this name.');
    return role;
  }

  async function assertKeepsRoleManagement(
    tx: Queryable,
    actor: Actor,
    role: RoleRecord,
    next: readonly string[],
  ): Promise<void> {
    if (!role.permissions.includes('roles:manage') || next.includes('roles:manage')) return;
    if (role.name === SUPER_ADMIN_ROLE) {
      throw conflict(
        'role.lockout_protection',
        'super_admin must keep the roles:manage permission.',
      );
    }
    const own = await deps.users.permissionsOf(tx, actor.userId);
    if (own?.role === role.name) {
      throw forbidden('role.self_demotion', 'You cannot remove roles:manage from your own role.');
    }
  }

  return {
    list: (): Promise<RoleSummary[]> => roles.list(deps.db),

    create(
      actor: Actor,
      input: { name: string; description?: string | undefined; permissions: Permission[] },
    ): Promise<RoleSummary> {
      return withTransaction(deps.db, async (tx) => {
        const role = await roles.insert(tx, {
          name: input.name,
          description: input.description ?? '',
          permissions: canonicalPermissions(input.permissions),
        });
        if (!role) throw conflict('role.already_exists', 'A role with this name exists.');
        await appendEvent(tx, {
          type: 'role.created',
          aggregateId: role.name,
          ...event(actor),
          data: { role },
        });
        return { ...role, userCount: 0 };
      });
    },

    update(
      actor: Actor,
      name: string,
      change: { description?: string | undefined; permissions?: Permission[] | undefined },
    ): Promise<RoleSummary> {
      return withTransaction(deps.db, async (tx) => {
        const before = await lockRole(tx, name);
        const next = change.permissions
          ? canonicalPermissions(change.permissions)
          : before.permissions;
        await assertKeepsRoleManagement(tx, actor, before, next);
        const after = await roles.update(tx, name, {
          description: change.description ?? before.description,
          permissions: next,
        });
        await appendEvent(tx, {
          type: 'role.updated',
          aggregateId: name,
          ...event(actor),
          data: { from: before, to: after },
        });
        return { ...after, userCount: await roles.countUsers(tx, name) };
      });
    },

    remove(actor: Actor, name: string): Promise<void> {
      return withTransaction(deps.db, async (tx) => {
        const role = await lockRole(tx, name);
        if (role.isSystem) throw conflict('role.system_role', 'System roles cannot be deleted.');
        // Assignments take FOR SHARE on the role first, so this count cannot go stale before DELETE.
        const userCount = await roles.countUsers(tx, name);
        if (userCount > 0)
          throw conflict('role.in_use', `${userCount} account(s) still have this role.`);
        await roles.remove(tx, name);
        await appendEvent(tx, {
          type: 'role.deleted',
          aggregateId: name,
          ...event(actor),
          data: { role },
        });
      });
    },
  };
}

export type RoleService = ReturnType<typeof createRoleService>;

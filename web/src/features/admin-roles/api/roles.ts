import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { session } from '../../../lib/session/session-manager.ts';

export interface Role {
  name: string;
  description: string;
  permissions: string[];
  isSystem: boolean;
  userCount: number;
}

export function listRoles(): Promise<Role[]> {
  return session.request<Role[]>('/api/v1/roles');
}

export const rolesQueryOptions = queryOptions({ queryKey: ['admin', 'roles'], queryFn: listRoles });

export function useRoles(options: { enabled?: boolean } = {}) {
  return useQuery({ ...rolesQueryOptions, enabled: options.enabled ?? true });
}

export interface RoleInput {
  name: string;
  description?: string;
  permissions: string[];
}

export function createRole(input: RoleInput): Promise<Role> {
  return session.request<Role>('/api/v1/roles', { method: 'POST', body: input });
}

export function updateRole(
  name: string,
  patch: { description?: string; permissions?: string[] },
): Promise<Role> {
  return session.request<Role>(`/api/v1/roles/${encodeURIComponent(name)}`, {
    method: 'PATCH',
    body: patch,
  });
}

export async function deleteRole(name: string): Promise<void> {
  await session.request<undefined>(`/api/v1/roles/${encodeURIComponent(name)}`, {
    method: 'DELETE',
  });
}

function useRoleMutation<I, O>(mutationFn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => client.invalidateQueries({ queryKey: rolesQueryOptions.queryKey }),
  });
}

export const useCreateRole = () => useRoleMutation(createRole);
export const useUpdateRole = () =>
  useRoleMutation((input: { name: string; description?: string; permissions?: string[] }) => {
    const { name, ...patch } = input;
    return updateRole(name, patch);
  });
export const useDeleteRole = () => useRoleMutation(deleteRole);

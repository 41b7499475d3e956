import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ProfileView } from '@ums/contracts/profile-schemas';
import { session } from '../../../lib/session/session-manager.ts';

export function getUserProfile(id: string): Promise<ProfileView> {
  return session.request<ProfileView>(`/api/v1/users/${encodeURIComponent(id)}`);
}

export const userProfileQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['admin', 'profile', id], queryFn: () => getUserProfile(id) });

export function useUserProfile(id: string) {
  return useQuery(userProfileQueryOptions(id));
}

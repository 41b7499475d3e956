import { queryOptions, useQuery } from '@tanstack/react-query';
import { session } from '../../../lib/session/session-manager.ts';
import type { UserSummary } from './users.ts';

export interface UserProfile extends UserSummary {
  bio: string | null;
  phone: string | null;
  website: string | null;
  company: string | null;
  updatedAt: string | null;
}

export function getUserProfile(id: string): Promise<UserProfile> {
  return session.request<UserProfile>(`/api/v1/users/${encodeURIComponent(id)}`);
}

export const userProfileQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['admin', 'profile', id], queryFn: () => getUserProfile(id) });

export function useUserProfile(id: string) {
  return useQuery(userProfileQueryOptions(id));
}

import { queryOptions, useQuery } from '@tanstack/react-query';
import { session } from './session-manager.ts';

export interface Me {
  id: string;
  email: string;
  role: string;
  permissions: string[];
  status: string;
  emailVerified: boolean;
  mfaEnabled: boolean;
  firstName: string | null;
  lastName: string | null;
  createdAt: string;
}

export function getMe(): Promise<Me> {
  return session.request<Me>('/api/v1/auth/me');
}

export const meQueryOptions = queryOptions({ queryKey: ['session', 'me'], queryFn: getMe });

export function useMe() {
  return useQuery(meQueryOptions);
}

import { queryOptions, useQuery } from '@tanstack/react-query';
import { session } from '../../../lib/session/session-manager.ts';

export interface AccountStats {
  generatedAt: string;
  total: number;
  byStatus: { active: number; inactive: number; suspended: number };
  byRole: Record<string, number>;
  registrations: { date: string; count: number }[];
}

export function getAccountStats(days: number): Promise<AccountStats> {
  return session.request<AccountStats>(`/api/v1/accounts/stats?days=${days}`);
}

export const accountStatsQueryOptions = (days: number) =>
  queryOptions({ queryKey: ['admin', 'stats', days], queryFn: () => getAccountStats(days) });

export function useAccountStats(days: number) {
  return useQuery(accountStatsQueryOptions(days));
}

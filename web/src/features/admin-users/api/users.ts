import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Page, SummaryView } from '@ums/contracts/profile-schemas';
import { dayBound } from '../../../lib/day-bound.ts';
import { session } from '../../../lib/session/session-manager.ts';

export const sortOptions = ['-createdAt', 'createdAt', 'email', '-email', 'name', '-name'] as const;
export type SortOption = (typeof sortOptions)[number];

/** The directory filters exactly as they appear in the page URL (dates as YYYY-MM-DD). */
export interface DirectoryFilters {
  q: string;
  role: string;
  status: string;
  createdFrom: string;
  createdTo: string;
  sort: string;
}

export const filterKeys = ['q', 'role', 'status', 'createdFrom', 'createdTo', 'sort'] as const;

export function filtersFromParams(params: URLSearchParams): DirectoryFilters {
  const read = (key: (typeof filterKeys)[number]) => params.get(key)?.trim() ?? '';
  return {
    q: read('q'),
    role: read('role'),
    status: read('status'),
    createdFrom: read('createdFrom'),
    createdTo: read('createdTo'),
    sort: read('sort'),
  };
}

/** The server's query for the filters: empty values left out, days turned into instants. */
export function directoryQuery(filters: DirectoryFilters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.q) query.set('q', filters.q);
  if (filters.role) query.set('role', filters.role);
  if (filters.status) query.set('status', filters.status);
  const from = dayBound(filters.createdFrom, 'start');
  if (from) query.set('createdFrom', from);
  const to = dayBound(filters.createdTo, 'end');
  if (to) query.set('createdTo', to);
  if (filters.sort) query.set('sort', filters.sort);
  return query;
}

export const PAGE_SIZE = 20;

export function listUsers(
  filters: DirectoryFilters,
  cursor: string | null,
): Promise<Page<SummaryView>> {
  const query = directoryQuery(filters);
  query.set('limit', String(PAGE_SIZE));
  if (cursor) query.set('cursor', cursor);
  return session.request<Page<SummaryView>>(`/api/v1/users?${query.toString()}`);
}

export const usersQueryOptions = (filters: DirectoryFilters, cursor: string | null) =>
  queryOptions({
    queryKey: ['admin', 'users', filters, cursor],
    queryFn: () => listUsers(filters, cursor),
    placeholderData: keepPreviousData,
  });

export function useUsers(filters: DirectoryFilters, cursor: string | null) {
  return useQuery(usersQueryOptions(filters, cursor));
}

/** The name to show for a row: display name, else first and last name, else the email. */
export function nameOf(
  user: Pick<SummaryView, 'displayName' | 'firstName' | 'lastName' | 'email'>,
) {
  return (
    user.displayName?.trim() ||
    [user.firstName, user.lastName].filter(Boolean).join(' ').trim() ||
    user.email ||
    ''
  );
}

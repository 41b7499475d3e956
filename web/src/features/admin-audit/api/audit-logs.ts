import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AuditView, Page } from '@ums/contracts/profile-schemas';
import { dayBound } from '../../../lib/day-bound.ts';
import { session } from '../../../lib/session/session-manager.ts';

/** Audit filters as they appear in the page URL (dates as YYYY-MM-DD). */
export interface AuditFilters {
  userId: string;
  actorId: string;
  action: string;
  from: string;
  to: string;
}

export const auditFilterKeys = ['userId', 'actorId', 'action', 'from', 'to'] as const;

export function auditFiltersFromParams(params: URLSearchParams): AuditFilters {
  const read = (key: (typeof auditFilterKeys)[number]) => params.get(key)?.trim() ?? '';
  return {
    userId: read('userId'),
    actorId: read('actorId'),
    action: read('action'),
    from: read('from'),
    to: read('to'),
  };
}

export const noAuditFilters: AuditFilters = {
  userId: '',
  actorId: '',
  action: '',
  from: '',
  to: '',
};

/** The server's query: empty values left out, days turned into inclusive instants. */
export function auditQuery(filters: AuditFilters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.userId) query.set('userId', filters.userId);
  if (filters.actorId) query.set('actorId', filters.actorId);
  if (filters.action) query.set('action', filters.action);
  const from = dayBound(filters.from, 'start');
  if (from) query.set('from', from);
  const to = dayBound(filters.to, 'end');
  if (to) query.set('to', to);
  return query;
}

export const AUDIT_PAGE_SIZE = 25;

export function listAuditLogs(
  filters: AuditFilters,
  cursor: string | null,
): Promise<Page<AuditView>> {
  const query = auditQuery(filters);
  query.set('limit', String(AUDIT_PAGE_SIZE));
  if (cursor) query.set('cursor', cursor);
  return session.request<Page<AuditView>>(`/api/v1/audit-logs?${query.toString()}`);
}

export const auditLogsQueryOptions = (filters: AuditFilters, cursor: string | null) =>
  queryOptions({
    queryKey: ['admin', 'audit-logs', filters, cursor],
    queryFn: () => listAuditLogs(filters, cursor),
    placeholderData: keepPreviousData,
  });

export function useAuditLogs(filters: AuditFilters, cursor: string | null) {
  return useQuery(auditLogsQueryOptions(filters, cursor));
}

import { badRequest } from '@ums/service-kit/errors';
import type { AuditFilter, AuditRepository } from '../data/audit-repository.ts';
import { profileAuditEntry, toAuditView, type AuditView } from './audit.ts';
import { DEFAULT_PAGE_SIZE } from './directory-service.ts';

export interface AuditQuery extends AuditFilter {
  limit?: number;
  cursor?: string;
}

const invalidCursor = () => badRequest('audit.invalid_cursor', 'The cursor is invalid.');

function encode(occurredAt: Date, id: string): string {
  return Buffer.from(JSON.stringify({ t: occurredAt.toISOString(), i: id })).toString('base64url');
}

function decode(cursor: string): { occurredAt: Date; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidCursor();
  const { t, i } = parsed as { t?: unknown; i?: unknown };
  const occurredAt = new Date(String(t));
  if (typeof i !== 'string' || i.length > 64 || Number.isNaN(occurredAt.getTime())) {
    throw invalidCursor();
  }
  return { occurredAt, id: i };
}

export interface RecordInput {
  action: string;
  actorId: string | null;
  userId?: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

/** Reading the audit log (newest first) and recording what this service itself does. */
export function createAuditService(deps: { audit: AuditRepository; retentionDays: number }) {
  return {
    async list(query: AuditQuery): Promise<{ items: AuditView[]; nextCursor: string | null }> {
      const { limit = DEFAULT_PAGE_SIZE, cursor, ...filter } = query;
      const docs = await deps.audit.page(filter, limit + 1, cursor ? decode(cursor) : undefined);
      const page = docs.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toAuditView),
        nextCursor: docs.length > limit && last ? encode(last.occurredAt, last._id) : null,
      };
    },

    async record(input: RecordInput): Promise<void> {
      await deps.audit.insert(profileAuditEntry({ ...input, retentionDays: deps.retentionDays }));
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;

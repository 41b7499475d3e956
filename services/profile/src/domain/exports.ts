import { tooManyRequests } from '@ums/service-kit/errors';
import type { Principal, RequestContext } from '@ums/service-kit/route-table';
import type { AuditFilter, AuditRepository } from '../data/audit-repository.ts';
import type { DirectoryRepository } from '../data/directory-repository.ts';
import type { RateLimiter } from '../data/rate-limiter.ts';
import { toAuditView, type AuditDoc } from './audit.ts';
import type { AuditService } from './audit-service.ts';
import { csvRow } from './csv.ts';
import { parseSort, type DirectoryFilter, type SortOption } from './directory.ts';
import { toSummaryView, type ProfileDoc } from './profile-model.ts';
import type { ProfileService } from './profiles.ts';

export type ExportFormat = 'csv' | 'json';

/** What a route streams: chunks are produced lazily, one database batch at a time. */
export interface ExportStream {
  filename: string;
  contentType: string;
  chunks: AsyncIterable<string>;
}

interface Closable<T> extends AsyncIterable<T> {
  close(): Promise<void>;
}

const CHUNK_BYTES = 64 * 1024;
const USER_COLUMNS = [
  'id',
  'email',
  'firstName',
  'lastName',
  'displayName',
  'jobTitle',
  'location',
  'role',
  'status',
  'emailVerified',
  'mfaEnabled',
  'createdAt',
  'lastLoginAt',
] as const;
const AUDIT_COLUMNS = [
  'id',
  'occurredAt',
  'action',
  'actorId',
  'userId',
  'ip',
  'requestId',
  'source',
  'details',
] as const;

/** Rows as CSV (with a header) or as one JSON array, in chunks of about 64 KiB. */
async function* render<T, V extends Record<string, unknown>>(
  cursor: Closable<T>,
  format: ExportFormat,
  columns: readonly (keyof V & string)[],
  view: (doc: T) => V,
): AsyncGenerator<string> {
  let buffer = format === 'csv' ? csvRow(columns) : '[';
  let first = true;
  try {
    for await (const doc of cursor) {
      const v = view(doc);
      if (format === 'csv') buffer += csvRow(columns.map((c) => v[c]));
      else {
        buffer += `${first ? '' : ','}\n${JSON.stringify(v)}`;
        first = false;
      }
      if (buffer.length >= CHUNK_BYTES) {
        yield buffer;
        buffer = '';
      }
    }
  } finally {
    await cursor.close();
  }
  yield format === 'csv' ? buffer : `${buffer}\n]\n`;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
const contentTypeOf = (format: ExportFormat) =>
  format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8';

/**
 * Exports: permission-checked by the route table, rate-limited per caller, recorded in the audit
 * log before the first byte, bounded by `maxRows`, and streamed from a database cursor so memory
 * stays flat whatever the size.
 */
export function createExportService(deps: {
  directory: DirectoryRepository;
  audit: AuditRepository;
  auditService: AuditService;
  profileService: ProfileService;
  limiter: RateLimiter;
  maxRows: number;
}) {
  async function admit(
    principal: Principal,
    ctx: RequestContext,
    action: string,
    details: object,
    userId: string | null = null,
  ) {
    const { allowed, retryAfterSeconds } = await deps.limiter.consume(`export:${principal.userId}`);
    if (!allowed) {
      throw tooManyRequests('export.rate_limited', 'Too many exports; try again later.', {
        headers: { 'Retry-After': String(retryAfterSeconds) },
      });
    }
    await deps.auditService.record({
      action,
      actorId: principal.userId,
      userId,
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { ...details },
    });
  }

  return {
    async users(
      principal: Principal,
      ctx: RequestContext,
      query: DirectoryFilter & { sort?: SortOption; format: ExportFormat },
    ): Promise<ExportStream> {
      const { format, sort, ...filter } = query;
      await admit(principal, ctx, 'users.exported', { format, sort, filter });
      const cursor = deps.directory.cursor(filter, parseSort(sort), deps.maxRows);
      return {
        filename: `users-${stamp()}.${format}`,
        contentType: contentTypeOf(format),
        chunks: render<ProfileDoc, ReturnType<typeof toSummaryView>>(
          cursor,
          format,
          USER_COLUMNS,
          toSummaryView,
        ),
      };
    },

    async auditLogs(
      principal: Principal,
      ctx: RequestContext,
      query: AuditFilter & { format: ExportFormat },
    ): Promise<ExportStream> {
      const { format, ...filter } = query;
      await admit(principal, ctx, 'audit_logs.exported', { format, filter });
      return {
        filename: `audit-logs-${stamp()}.${format}`,
        contentType: contentTypeOf(format),
        chunks: render<AuditDoc, ReturnType<typeof toAuditView>>(
          deps.audit.cursor(filter, deps.maxRows),
          format,
          AUDIT_COLUMNS,
          toAuditView,
        ),
      };
    },

    /** Everything held about the caller: profile, preferences and their audit entries (JSON). */
    async own(principal: Principal, ctx: RequestContext): Promise<ExportStream> {
      await admit(principal, ctx, 'user.data_exported', {}, principal.userId);
      const profile = await deps.profileService.getOwn(principal);
      const cursor = deps.audit.userCursor(principal.userId, deps.maxRows);
      async function* chunks(): AsyncGenerator<string> {
        const head = { exportedAt: new Date().toISOString(), profile };
        yield `${JSON.stringify(head).slice(0, -1)},"auditEntries":`;
        for await (const chunk of render(cursor, 'json', [], toAuditView)) yield chunk;
        yield '}\n';
      }
      return {
        filename: `my-data-${stamp()}.json`,
        contentType: contentTypeOf('json'),
        chunks: chunks(),
      };
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;

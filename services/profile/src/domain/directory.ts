import { badRequest } from '@ums/service-kit/errors';
import type { ProfileDoc } from './profile-model.ts';

/**
 * The admin directory's query model: filters, sorts and the opaque keyset cursor. Pure: the
 * repository turns a `DirectoryQuery` into a MongoDB filter.
 */
export const SORT_KEYS = ['createdAt', 'email', 'name'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const SORT_OPTIONS = SORT_KEYS.flatMap((k) => [k, `-${k}`] as const);
export type SortOption = (typeof SORT_OPTIONS)[number];

/** The stored field each sort reads (lower-cased copies: FerretDB has no collations). */
export const SORT_FIELDS = {
  createdAt: 'createdAt',
  email: 'emailLower',
  name: 'sortName',
} as const;

export function sortValueOf(doc: ProfileDoc, sort: DirectorySort): string | Date {
  return doc[SORT_FIELDS[sort.key]];
}

export interface DirectoryFilter {
  q?: string;
  role?: string;
  status?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

export interface DirectorySort {
  key: SortKey;
  direction: 1 | -1;
}

/** Where the previous page ended: the sort value and the id of its last row. */
export interface Position {
  value: string | Date;
  id: string;
}

export function parseSort(option: SortOption | undefined): DirectorySort {
  const raw = option ?? '-createdAt';
  const descending = raw.startsWith('-');
  return { key: (descending ? raw.slice(1) : raw) as SortKey, direction: descending ? -1 : 1 };
}

/** Escapes every regular-expression metacharacter: `q` matches literally, in linear time. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface CursorPayload {
  s: string;
  v: string;
  t: 'd' | 's';
  i: string;
}

/** Opaque to clients; tied to the sort it was made for. */
export function encodeCursor(sort: DirectorySort, position: Position): string {
  const payload: CursorPayload = {
    s: `${sort.direction === -1 ? '-' : ''}${sort.key}`,
    v: position.value instanceof Date ? position.value.toISOString() : position.value,
    t: position.value instanceof Date ? 'd' : 's',
    i: position.id,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

const invalidCursor = () =>
  badRequest('directory.invalid_cursor', 'The cursor is invalid or belongs to another sort order.');

export function decodeCursor(cursor: string, sort: DirectorySort): Position {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof payload !== 'object' || payload === null) throw invalidCursor();
  const { s, v, t, i } = payload as Partial<CursorPayload>;
  const expected = `${sort.direction === -1 ? '-' : ''}${sort.key}`;
  if (s !== expected || typeof v !== 'string' || typeof i !== 'string' || i.length > 64) {
    throw invalidCursor();
  }
  if (t === 's' && sort.key !== 'createdAt') return { value: v, id: i };
  if (t === 'd' && sort.key === 'createdAt') {
    const date = new Date(v);
    if (!Number.isNaN(date.getTime())) return { value: date, id: i };
  }
  throw invalidCursor();
}

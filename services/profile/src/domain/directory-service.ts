import type { DirectoryRepository } from '../data/directory-repository.ts';
import {
  decodeCursor,
  encodeCursor,
  parseSort,
  sortValueOf,
  type DirectoryFilter,
  type SortOption,
} from './directory.ts';
import { toSummaryView, type SummaryView } from './profile-model.ts';

export const DEFAULT_PAGE_SIZE = 20;

export interface DirectoryQuery extends DirectoryFilter {
  sort?: SortOption;
  limit?: number;
  cursor?: string;
}

/** The admin directory: one page at a time, in a stable order, with an opaque next cursor. */
export function createDirectoryService(deps: { directory: DirectoryRepository }) {
  return {
    async list(
      query: DirectoryQuery,
    ): Promise<{ items: SummaryView[]; nextCursor: string | null }> {
      const { sort: sortOption, limit = DEFAULT_PAGE_SIZE, cursor, ...filter } = query;
      const sort = parseSort(sortOption);
      const after = cursor ? decodeCursor(cursor, sort) : undefined;
      // One extra row tells whether another page exists without a count.
      const docs = await deps.directory.page(filter, sort, limit + 1, after);
      const page = docs.slice(0, limit);
      const last = page.at(-1);
      const nextCursor =
        docs.length > limit && last
          ? encodeCursor(sort, { value: sortValueOf(last, sort), id: last._id })
          : null;
      return { items: page.map(toSummaryView), nextCursor };
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;

import type { Db, Filter, FindCursor, Sort } from 'mongodb';
import {
  escapeRegex,
  SORT_FIELDS,
  type DirectoryFilter,
  type DirectorySort,
  type Position,
} from '../domain/directory.ts';
import type { ProfileDoc } from '../domain/profile-model.ts';
import { PROFILES } from './profiles-repository.ts';

const SEARCH_FIELDS = ['firstName', 'lastName', 'displayName', 'email'] as const;

function toMongoFilter(filter: DirectoryFilter): Filter<ProfileDoc>[] {
  const and: Filter<ProfileDoc>[] = [];
  if (filter.q) {
    // Case-insensitive substring: the input is escaped, so it is a literal, never a pattern.
    const pattern = { $regex: escapeRegex(filter.q), $options: 'i' };
    and.push({ $or: SEARCH_FIELDS.map((field) => ({ [field]: pattern })) });
  }
  if (filter.role !== undefined) and.push({ role: filter.role });
  if (filter.status !== undefined) and.push({ status: filter.status as ProfileDoc['status'] });
  if (filter.createdFrom !== undefined) and.push({ createdAt: { $gte: filter.createdFrom } });
  if (filter.createdTo !== undefined) and.push({ createdAt: { $lte: filter.createdTo } });
  return and;
}

/** Keyset condition: rows strictly after `after` in (field, _id) order. */
function afterFilter(sort: DirectorySort, after: Position): Filter<ProfileDoc> {
  const field = SORT_FIELDS[sort.key];
  const op = sort.direction === 1 ? '$gt' : '$lt';
  return {
    $or: [{ [field]: { [op]: after.value } }, { [field]: after.value, _id: { [op]: after.id } }],
  } as Filter<ProfileDoc>;
}

export function createDirectoryRepository(db: Db) {
  const profiles = db.collection<ProfileDoc>(PROFILES);
  const mongoSort = (sort: DirectorySort): Sort => ({
    [SORT_FIELDS[sort.key]]: sort.direction,
    _id: sort.direction,
  });
  const query = (filter: DirectoryFilter, sort: DirectorySort, after?: Position) => {
    const and = toMongoFilter(filter);
    if (after) and.push(afterFilter(sort, after));
    return profiles.find(and.length ? { $and: and } : {}).sort(mongoSort(sort));
  };
  return {
    async page(
      filter: DirectoryFilter,
      sort: DirectorySort,
      limit: number,
      after?: Position,
    ): Promise<ProfileDoc[]> {
      return query(filter, sort, after).limit(limit).toArray();
    },

    /** Every matching row in order, read in batches (constant memory for the caller). */
    cursor(filter: DirectoryFilter, sort: DirectorySort, max: number): FindCursor<ProfileDoc> {
      return query(filter, sort).limit(max).batchSize(500);
    },
  };
}

export type DirectoryRepository = ReturnType<typeof createDirectoryRepository>;

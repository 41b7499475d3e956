// Indexes behind the admin directory's filters and sorts (keyset pagination on `<field>, _id`).
import type { MigrationContext } from '../migrate.ts';
import { createIndexes, dropIndexes } from '../schema-helpers.ts';

const indexes = [
  { key: { role: 1, createdAt: -1, _id: -1 }, options: { name: 'role_createdAt_id' } },
  { key: { status: 1, createdAt: -1, _id: -1 }, options: { name: 'status_createdAt_id' } },
  { key: { emailLower: 1, _id: 1 }, options: { name: 'emailLower_id' } },
  { key: { sortName: 1, _id: 1 }, options: { name: 'sortName_id' } },
] as const;

export async function up(ctx: MigrationContext): Promise<void> {
  await createIndexes(ctx, 'user_profiles', indexes);
}

export async function down(ctx: MigrationContext): Promise<void> {
  await dropIndexes(
    ctx,
    'user_profiles',
    indexes.map((i) => i.options.name),
  );
}

// The outbox doubles as the auth-side audit trail: a user's own data export reads the events
// about them, newest first. Without this index that read scans the whole (ever-growing) outbox.
// Migrations are immutable once merged: change the schema with a new file.
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('CREATE INDEX outbox_aggregate_idx ON outbox (aggregate_id, id);');
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('DROP INDEX outbox_aggregate_idx;');
}

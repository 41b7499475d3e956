// The W3C trace context of the request that wrote each outbox row, so the relay can publish the
// event inside the same trace and the profile consumer continue it (see docs/observability.md).
// NULL when tracing is off or the row predates this migration. Nullable columns without a
// default: adding them rewrites nothing, however long the outbox is.
// Migrations are immutable once merged: change the schema with a new file.
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;');
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('ALTER TABLE outbox DROP COLUMN traceparent, DROP COLUMN tracestate;');
}

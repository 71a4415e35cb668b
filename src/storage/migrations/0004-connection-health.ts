// Frozen in time (see 0001). Connection health (issue 6): when the last check and the last webhook
// happened and when Meta's data access ends; the per-organization activity log; and the record of
// Meta data-deletion requests that the public status page reads.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['last_health_check_at', 'last_webhook_at', 'data_access_expires_at']) {
    await db.schema.alterTable('organization_meta_settings').addColumn(column, 'bigint').execute();
  }

  await db.schema
    .createTable('connection_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('page_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('connection_events_org_idx')
    .on('connection_events')
    .columns(['org_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('data_deletion_requests')
    .addColumn('confirmation_code', 'text', (c) => c.primaryKey())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_connections', 'integer', (c) => c.notNull())
    .addColumn('deleted_pages', 'text', (c) => c.notNull())
    .execute();

  // Scheduled work that must run once per period across all instances (health checks).
  await db.schema
    .createTable('schedules')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_run_at', 'bigint', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('schedules').execute();
  await db.schema.dropTable('data_deletion_requests').execute();
  await db.schema.dropTable('connection_events').execute();
  for (const column of ['last_health_check_at', 'last_webhook_at', 'data_access_expires_at']) {
    await db.schema.alterTable('organization_meta_settings').dropColumn(column).execute();
  }
}

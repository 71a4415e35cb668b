// Frozen in time (see 0001). The seed's organization_meta_settings plus what the product needs:
// status, per-subscription state, who connected it, and the background job queue (outbox) that
// retries subscriptions and unsubscribes after a disconnect.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organization_meta_settings')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    // One Page serves one organization (R27): webhook routing by entry.id resolves to exactly one org.
    .addColumn('facebook_page_id', 'text', (c) => c.notNull().unique())
    .addColumn('facebook_page_name', 'text', (c) => c.notNull())
    .addColumn('page_access_token', 'text', (c) => c.notNull()) // AES-256-GCM sealed, never plaintext
    .addColumn('instagram_business_account_id', 'text')
    .addColumn('instagram_username', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('webhook_page', 'text', (c) => c.notNull())
    .addColumn('webhook_app_page', 'text', (c) => c.notNull())
    .addColumn('webhook_app_instagram', 'text', (c) => c.notNull())
    .addColumn('connected_by_user_id', 'text', (c) => c.notNull())
    .addColumn('connected_by_fb_user_id', 'text')
    .addColumn('connected_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('oms_instagram_idx')
    .on('organization_meta_settings')
    .column('instagram_business_account_id')
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // Deduplicates queued work: one pending job per key (e.g. "subscribe:<org>").
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_run_at_idx').on('jobs').column('run_at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
  await db.schema.dropTable('organization_meta_settings').execute();
}

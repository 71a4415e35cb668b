// Frozen in time (see 0001). Issue 13: every event kind, media kept, history imported.
// - messages.details: JSON of what a message carries besides text and attachments (reply_to, a story
//   reply, a quick-reply payload, a referral, edits, `is_unsupported`, standby), so a new Meta field
//   needs no new column.
// - conversations.referral (JSON: where the conversation came from: an ad, an m.me / ig.me link),
//   standby_at (Meta's time of the last event under `standby`: another app owns the thread) and the
//   participant's picture (a media id).
// - media: one row per file Parley keeps (inbound attachments, participant pictures, uploads), with
//   where it came from, whether it is stored yet, and what the bytes turned out to be.
// - media_bytes: the bytes when MEDIA_STORE=database, base64 text so that one column type works on
//   SQLite and PostgreSQL alike (25 MB cap, so at most ~34 MB of text a row).
// - history_imports: progress of the import of one Page's (or Instagram account's) conversations.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('details', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('referral', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('standby_at', 'bigint').execute();
  await db.schema.alterTable('conversations').addColumn('participant_picture_id', 'text').execute();

  await db.schema
    .createTable('media')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    // Who the file belongs to, opaque to the media folder: "message:<id>", "conversation:<id>".
    .addColumn('owner', 'text', (c) => c.notNull())
    // The Page or Instagram account whose conversation it belongs to (data deletion removes by it).
    .addColumn('account_id', 'text')
    .addColumn('source_url', 'text')
    // pending | stored | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text')
    .addColumn('size', 'bigint')
    .addColumn('name', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('media_org_owner_idx').on('media').columns(['org_id', 'owner']).execute();

  await db.schema
    .createTable('media_bytes')
    .addColumn('media_id', 'text', (c) => c.primaryKey().references('media.id').onDelete('cascade'))
    .addColumn('base64', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('history_imports')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    // messenger | instagram
    .addColumn('platform', 'text', (c) => c.notNull())
    // running | done | failed
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('after_cursor', 'text')
    .addColumn('conversations_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('messages_imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('since', 'bigint', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addPrimaryKeyConstraint('history_imports_pk', ['org_id', 'account_id', 'platform'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['history_imports', 'media_bytes', 'media']) await db.schema.dropTable(t).execute();
  for (const c of ['participant_picture_id', 'standby_at', 'referral'])
    await db.schema.alterTable('conversations').dropColumn(c).execute();
  await db.schema.alterTable('messages').dropColumn('details').execute();
}

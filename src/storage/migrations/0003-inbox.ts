// Frozen in time (see 0001). The webhook inbox and the conversations it feeds:
// - webhook_deliveries: every signed POST body, committed before Meta gets its 200 (R38), then claimed
//   and processed asynchronously; a body that cannot be read is kept as `quarantined`.
// - conversations: one per (organization, channel, Page or Instagram account, person), with the
//   delivery/read watermarks that only move forward (R39, R40) and the last inbound time (24 h window).
// - messages: deduplicated by (org_id, mid) with a unique index (R39, field lessons row 7); outbound
//   rows exist before Meta assigns a mid, and NULL mids never collide.
// - webhook_drops: counters of events acknowledged but not applied (unknown Pages, unsupported events).
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    // The raw body as received: UTF-8 text, or base64 when the bytes are not storable as text.
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('body_encoding', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_until', 'bigint')
    .addColumn('processed_at', 'bigint')
    // processed | quarantined | dead (gave up after repeated failures)
    .addColumn('outcome', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_pending_idx')
    .on('webhook_deliveries')
    .column('received_at')
    .where(sql.ref('processed_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_processed_idx')
    .on('webhook_deliveries')
    .column('processed_at')
    .execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('participant_name', 'text')
    .addColumn('profile_checked_at', 'bigint')
    .addColumn('last_message_id', 'text')
    .addColumn('last_message_at', 'bigint', (c) => c.notNull())
    .addColumn('last_inbound_at', 'bigint')
    .addColumn('unread_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('delivered_watermark', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('read_watermark', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('conversations_participant_uq', [
      'org_id',
      'channel',
      'account_id',
      'participant_id',
    ])
    .execute();
  await db.schema
    .createIndex('conversations_org_recent_idx')
    .on('conversations')
    .columns(['org_id', 'last_message_at', 'id'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('mid', 'text')
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // When it was sent: Meta's timestamp once known, our clock for an outbound message until its echo.
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    // Meta's own timestamp (inbound, echo); watermarks are compared with this clock only.
    .addColumn('meta_at', 'bigint')
    .addColumn('reaction', 'text')
    .addColumn('deleted_at', 'bigint')
    .addColumn('sent_by_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('messages_org_mid_uq')
    .on('messages')
    .columns(['org_id', 'mid'])
    .unique()
    .execute();
  await db.schema
    .createIndex('messages_conversation_idx')
    .on('messages')
    .columns(['conversation_id', 'sent_at', 'id'])
    .execute();

  await db.schema
    .createTable('webhook_drops')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_drops_pk', ['reason', 'account_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['webhook_drops', 'messages', 'conversations', 'webhook_deliveries'])
    await db.schema.dropTable(t).execute();
}

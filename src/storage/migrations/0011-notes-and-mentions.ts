// Frozen in time (see 0001). Issue 12, internal notes and @mentions:
// - messages.kind: `message` (everything so far, to or from the customer) or `note` (written by a member
//   for the team, never sent to Meta). Notes live in the thread's own table so one keyset pages both
//   in order; they never become a conversation's last_message and never touch its unread or waiting state.
// - note_mentions: who a note mentions, with the mentioned member's read state (the unread-mentions list
//   and its count); rows go with the note, the conversation, or the member.
// - a partial index over conversations with unread messages, so the tab title's count of unread
//   conversations reads only those, however many conversations the organization has.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('message'))
    .execute();
  await db.schema
    .createTable('note_mentions')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .addPrimaryKeyConstraint('note_mentions_pk', ['message_id', 'user_id'])
    .execute();
  // A member's unread mentions, newest first; and marking one conversation's read.
  await db.schema
    .createIndex('note_mentions_user_unread_idx')
    .on('note_mentions')
    .columns(['org_id', 'user_id', 'read_at', 'created_at'])
    .execute();
  await db.schema
    .createIndex('note_mentions_conversation_idx')
    .on('note_mentions')
    .columns(['conversation_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('conversations_org_unread_idx')
    .on('conversations')
    .column('org_id')
    .where(sql.ref('unread_count'), '>', 0)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_org_unread_idx').execute();
  await db.schema.dropTable('note_mentions').execute();
  await db.schema.alterTable('messages').dropColumn('kind').execute();
}

// Frozen in time (see 0001). Issue 12, assignment: conversations.assignee_id (a member, or null), with
// list indexes per assignee for both sorts of 0008 (the Mine and Unassigned views, filtered by status).
// Who wrote an outbound message is already kept since 0003 (messages.sent_by_user_id, set null if the
// user row goes), so no second author column is added.
import { type Kysely, sql } from 'kysely';

// Written exactly as 0008's WAITING_KEY (and conversation-repository.ts), so the planners match it.
const WAITING_KEY = sql.raw('coalesce(waiting_since, 8000000000000000 - last_message_at)');

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('assignee_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema
    .createIndex('conversations_org_assignee_recent_idx')
    .on('conversations')
    .columns(['org_id', 'assignee_id', 'status', 'last_message_at', 'id'])
    .execute();
  await sql`create index conversations_org_assignee_waiting_idx
    on conversations (org_id, assignee_id, status, (${WAITING_KEY}), id)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_org_assignee_waiting_idx').execute();
  await db.schema.dropIndex('conversations_org_assignee_recent_idx').execute();
  await db.schema.alterTable('conversations').dropColumn('assignee_id').execute();
}

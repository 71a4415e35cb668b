// Frozen in time (see 0001). Issue 15, target 5: the conversation list reads everything a row shows from
// the conversation itself, not from the messages table.
// - conversations.last_message_copy: the last message's row as JSON (the columns of migrations 0003,
//   0007 and 0011, not PostgreSQL's search vector), null when there is none;
// - conversations.first_message_at: the oldest message's sent_at (the customer panel's first contact).
// At 1,000,000 messages a page deep in the list read its 26 last messages and first contacts at random
// places in a 400 MB table and its two indexes; with both on the row the page reads only conversations.
// The database keeps both current in the writing transaction, as it keeps search (0008), so no write
// path of the app can forget them:
// - a conversation whose last_message_id changes copies that message;
// - a message inserted or updated copies itself onto its conversation when it is the last one, and an
//   inserted message older than the first contact moves it back (a history import);
// - a deleted message clears the copy it was, and moves the first contact to the next oldest.
// PostgreSQL: a message's trigger updates its conversation's row, so it takes that row's lock after the
// message's. Every transaction that changes a message therefore locks its conversation first
// (conversation-repository.ts lockConversation), as the webhook processor always has, or two
// transactions could each wait for the other's row.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

/** The copied columns, in the order the JSON lists them (0014 builds the same JSON). */
export const COLUMNS = [
  'id',
  'org_id',
  'conversation_id',
  'mid',
  'direction',
  'text',
  'attachments',
  'details',
  'status',
  'sent_at',
  'meta_at',
  'reaction',
  'deleted_at',
  'sent_by_user_id',
  'error',
  'created_at',
  'updated_at',
  'kind',
];

/** The JSON object of a messages row named `row` (SQLite json_object, PostgreSQL json_build_object). */
function messageJson(postgres: boolean, row: string): string {
  const pairs = COLUMNS.map((c) => `'${c}', ${row}.${c}`).join(', ');
  return postgres ? `json_build_object(${pairs})::text` : `json_object(${pairs})`;
}

/**
 * Fills both copies of every conversation from its messages: the migration's backfill, and the bench's
 * after a bulk load that skipped triggers (bench/inbox-loader.ts).
 */
export function fillCopiesSql(postgres: boolean): string {
  return `update conversations set
    last_message_copy = (select ${messageJson(postgres, 'm')} from messages m where m.id = conversations.last_message_id),
    first_message_at = (select min(m.sent_at) from messages m where m.conversation_id = conversations.id)`;
}

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable('conversations').addColumn('last_message_copy', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('first_message_at', 'bigint').execute();
  await sql.raw(fillCopiesSql(postgres)).execute(db);
  for (const s of postgres ? postgresTriggers() : sqliteTriggers()) await sql.raw(s).execute(db);
}

// What a message's row trigger does to its conversation, the same statements on both databases.
type Json = (row: string) => string;
/** A new message: the first contact moves back if it is older; the copy is made if it is the last. */
const onInsert = (json: Json) => `update conversations set
    first_message_at = case when first_message_at is null or first_message_at > new.sent_at
      then new.sent_at else first_message_at end,
    last_message_copy = case when last_message_id = new.id then ${json('new')} else last_message_copy end
    where id = new.conversation_id
      and (first_message_at is null or first_message_at > new.sent_at or last_message_id = new.id);`;
/** A changed message: copied again if it is the last. */
const onUpdate = (json: Json) => `update conversations set last_message_copy = ${json('new')}
    where id = new.conversation_id and last_message_id = new.id;`;
/** A deleted message: no copy if it was the last; the next oldest is first if it was the first. */
const ON_DELETE = `update conversations set
    last_message_copy = case when last_message_id = old.id then null else last_message_copy end,
    first_message_at = case when first_message_at = old.sent_at
      then (select min(m.sent_at) from messages m where m.conversation_id = old.conversation_id)
      else first_message_at end
    where id = old.conversation_id and (last_message_id = old.id or first_message_at = old.sent_at);`;

function sqliteTriggers(): string[] {
  const json = (row: string) => messageJson(false, row);
  return [
    `create trigger conversations_last_message_copy_insert after insert on conversations
       when new.last_message_id is not null begin
       update conversations set last_message_copy = (select ${json('m')} from messages m where m.id = new.last_message_id)
         where id = new.id;
     end`,
    `create trigger conversations_last_message_copy_update after update of last_message_id on conversations
       when new.last_message_id is not old.last_message_id begin
       update conversations set last_message_copy = (select ${json('m')} from messages m where m.id = new.last_message_id)
         where id = new.id;
     end`,
    `create trigger messages_conversation_copy_insert after insert on messages begin
       ${onInsert(json)}
     end`,
    `create trigger messages_conversation_copy_update after update on messages begin
       ${onUpdate(json)}
     end`,
    `create trigger messages_conversation_copy_delete after delete on messages begin
       ${ON_DELETE}
     end`,
  ];
}

function postgresTriggers(): string[] {
  const json = (row: string) => messageJson(true, row);
  return [
    // BEFORE: the copy is written into the row being written, with no second row version.
    `create function parley_conversation_last_message_copy() returns trigger language plpgsql as $$
     begin
       new.last_message_copy := (select ${json('m')} from messages m where m.id = new.last_message_id);
       return new;
     end $$`,
    `create trigger conversations_last_message_copy_insert before insert on conversations
       for each row when (new.last_message_id is not null)
       execute function parley_conversation_last_message_copy()`,
    `create trigger conversations_last_message_copy_update before update of last_message_id on conversations
       for each row when (new.last_message_id is distinct from old.last_message_id)
       execute function parley_conversation_last_message_copy()`,
    `create function parley_message_conversation_copy() returns trigger language plpgsql as $$
     begin
       if tg_op = 'INSERT' then
         ${onInsert(json)}
       elsif tg_op = 'UPDATE' then
         ${onUpdate(json)}
       else
         ${ON_DELETE}
       end if;
       return null;
     end $$`,
    `create trigger messages_conversation_copy after insert or update or delete on messages
       for each row execute function parley_message_conversation_copy()`,
  ];
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    await sql`drop trigger messages_conversation_copy on messages`.execute(db);
    await sql`drop trigger conversations_last_message_copy_insert on conversations`.execute(db);
    await sql`drop trigger conversations_last_message_copy_update on conversations`.execute(db);
    await sql`drop function parley_message_conversation_copy()`.execute(db);
    await sql`drop function parley_conversation_last_message_copy()`.execute(db);
  } else {
    for (const t of [
      'conversations_last_message_copy_insert',
      'conversations_last_message_copy_update',
      'messages_conversation_copy_insert',
      'messages_conversation_copy_update',
      'messages_conversation_copy_delete',
    ])
      await sql.raw(`drop trigger ${t}`).execute(db);
  }
  await db.schema.alterTable('conversations').dropColumn('first_message_at').execute();
  await db.schema.alterTable('conversations').dropColumn('last_message_copy').execute();
}

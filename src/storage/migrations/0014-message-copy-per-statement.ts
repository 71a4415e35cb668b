// Frozen in time (see 0001). Issue 15, target 3 (the drain after a burst): on PostgreSQL, what migration
// 0013's copies and messages.org_id's foreign key cost per message, measured on the webhook processor's
// own statements (200 new messages to random conversations of 2,000, 40 alternated rounds per variant;
// bench/results/profile.md):
// - the messages trigger ran a plpgsql function and an UPDATE for every row: about 7 µs a row, for an
//   UPDATE that matched nothing for a live message (its conversation names it as last only afterwards).
//   It is now three statement triggers over transition tables: one UPDATE per statement finds the
//   conversations concerned, however many rows the statement wrote;
// - messages.org_id's foreign key to organizations locked the organization's row (FOR KEY SHARE) for
//   every message inserted: about 13 µs a row. A message's organization is its conversation's (the app
//   writes one from the other), and conversation_id's foreign key, with conversations.org_id's, already
//   holds it to an existing organization and deletes it with one. The key is dropped on PostgreSQL;
//   SQLite keeps it (dropping a column's key there means rebuilding the table, for about 2 µs a row);
// - the conversation's copy trigger ran a plpgsql function whenever last_message_id changed. A writer
//   may now write the copy itself in the same UPDATE (parley_message_copy, the JSON 0013 made), and the
//   trigger fills it only when the writer did not. The webhook processor's counter UPDATE does
//   (conversation-repository.ts recordInboundMessages).
// SQLite: unchanged.
import { type Kysely, PostgresAdapter, sql } from 'kysely';
// 0013's copied columns and their order (0013 is frozen, so they are too).
import { COLUMNS } from './0013-conversation-last-message-copy.ts';

/** A statement's new or changed messages: the one its conversation names as last is copied there. */
const COPY_LAST_OF_NEW_ROWS = `update conversations c set last_message_copy = parley_message_copy(m)
         from new_rows m where c.id = m.conversation_id and c.last_message_id = m.id;`;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const pairs = COLUMNS.map((c) => `'${c}', m.${c}`).join(', ');
  const statements = [
    // SQL and stable, as json_build_object is: inlined into the statement that calls it, no function
    // call per row.
    `create function parley_message_copy(m messages) returns text language sql stable as $$
       select json_build_object(${pairs})::text
     $$`,
    `create or replace function parley_conversation_last_message_copy() returns trigger language plpgsql as $$
     begin
       new.last_message_copy := (select parley_message_copy(m) from messages m where m.id = new.last_message_id);
       return new;
     end $$`,
    'drop trigger conversations_last_message_copy_update on conversations',
    `create trigger conversations_last_message_copy_update before update of last_message_id on conversations
       for each row when (new.last_message_id is distinct from old.last_message_id
         and new.last_message_copy is not distinct from old.last_message_copy)
       execute function parley_conversation_last_message_copy()`,
    'drop trigger messages_conversation_copy on messages',
    'drop function parley_message_conversation_copy()',
    // New messages: the first contact moves back to the oldest if it is older; the one a conversation
    // already names as last (written after it) is copied.
    `create function parley_messages_inserted() returns trigger language plpgsql as $$
     begin
       update conversations c set first_message_at = n.first_at
         from (select conversation_id, min(sent_at) as first_at from new_rows group by conversation_id) n
         where c.id = n.conversation_id and (c.first_message_at is null or c.first_message_at > n.first_at);
       ${COPY_LAST_OF_NEW_ROWS}
       return null;
     end $$`,
    // Changed messages: the last one is copied again.
    `create function parley_messages_updated() returns trigger language plpgsql as $$
     begin
       ${COPY_LAST_OF_NEW_ROWS}
       return null;
     end $$`,
    // Deleted messages: no copy if the last went; the next oldest is first if the first went.
    `create function parley_messages_deleted() returns trigger language plpgsql as $$
     begin
       update conversations c set last_message_copy = null
         from old_rows o where c.id = o.conversation_id and c.last_message_id = o.id;
       update conversations c set
         first_message_at = (select min(m.sent_at) from messages m where m.conversation_id = c.id)
         from (select distinct conversation_id, sent_at from old_rows) o
         where c.id = o.conversation_id and c.first_message_at = o.sent_at;
       return null;
     end $$`,
    `create trigger messages_inserted after insert on messages referencing new table as new_rows
       for each statement execute function parley_messages_inserted()`,
    `create trigger messages_updated after update on messages referencing new table as new_rows
       for each statement execute function parley_messages_updated()`,
    `create trigger messages_deleted after delete on messages referencing old table as old_rows
       for each statement execute function parley_messages_deleted()`,
    'alter table messages drop constraint messages_org_id_fkey',
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const json = `json_build_object(${COLUMNS.map((c) => `'${c}', new.${c}`).join(', ')})::text`;
  const statements = [
    `alter table messages add constraint messages_org_id_fkey foreign key (org_id)
       references organizations (id) on delete cascade`,
    'drop trigger messages_inserted on messages',
    'drop trigger messages_updated on messages',
    'drop trigger messages_deleted on messages',
    'drop function parley_messages_inserted()',
    'drop function parley_messages_updated()',
    'drop function parley_messages_deleted()',
    // 0013's row trigger, as it made it.
    `create function parley_message_conversation_copy() returns trigger language plpgsql as $$
     begin
       if tg_op = 'INSERT' then
         update conversations set
           first_message_at = case when first_message_at is null or first_message_at > new.sent_at
             then new.sent_at else first_message_at end,
           last_message_copy = case when last_message_id = new.id then ${json} else last_message_copy end
           where id = new.conversation_id
             and (first_message_at is null or first_message_at > new.sent_at or last_message_id = new.id);
       elsif tg_op = 'UPDATE' then
         update conversations set last_message_copy = ${json}
           where id = new.conversation_id and last_message_id = new.id;
       else
         update conversations set
           last_message_copy = case when last_message_id = old.id then null else last_message_copy end,
           first_message_at = case when first_message_at = old.sent_at
             then (select min(m.sent_at) from messages m where m.conversation_id = old.conversation_id)
             else first_message_at end
           where id = old.conversation_id and (last_message_id = old.id or first_message_at = old.sent_at);
       end if;
       return null;
     end $$`,
    `create trigger messages_conversation_copy after insert or update or delete on messages
       for each row execute function parley_message_conversation_copy()`,
    'drop trigger conversations_last_message_copy_update on conversations',
    `create trigger conversations_last_message_copy_update before update of last_message_id on conversations
       for each row when (new.last_message_id is distinct from old.last_message_id)
       execute function parley_conversation_last_message_copy()`,
    `create or replace function parley_conversation_last_message_copy() returns trigger language plpgsql as $$
     begin
       new.last_message_copy := (select ${json.replaceAll('new.', 'm.')} from messages m where m.id = new.last_message_id);
       return new;
     end $$`,
    'drop function parley_message_copy(messages)',
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

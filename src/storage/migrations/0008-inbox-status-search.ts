// Frozen in time (see 0001). Issue 12, the team inbox's status and search:
// - conversations.status (`open` | `resolved`), waiting_since (when the oldest message the business has
//   not answered arrived; null when answered) and participant_handle (the Instagram username);
// - list indexes per status for both sorts: last activity, and waiting time (oldest unanswered first,
//   then the answered ones by last activity — one expression, so one keyset);
// - full-text search over message text and the participant's name and handle, kept current by the
//   database itself in the writing transaction:
//   - SQLite: FTS5 tables (unicode61, remove_diacritics 2), contentless, filled by triggers. The
//     organization is a token of each row (its id without dashes), so a search walks only its own
//     organization's postings, newest row first;
//   - PostgreSQL: a stored generated column messages.search_vector = to_tsvector('simple',
//     parley_fold(text)) with a GIN index (stored, so a search walking a common word's newest messages
//     reads it instead of recomputing it per row), and a GIN index over the name and handle; parley_fold lowercases,
//     strips accents (NFD, then the combining marks) and turns punctuation into spaces. It is ours, not
//     the `unaccent` extension: an extension lives once per database in one schema, which clashes with
//     per-schema deployments (and tests), and needs a role allowed to create it. `normalize` is
//     immutable, so the function may be indexed.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// The waiting sort key: waiting conversations by waiting_since, then the answered by newest activity.
// conversation-repository.ts writes the same text, so the planners match their queries to these indexes.
// (A plain VACUUM may renumber SQLite rowids of tables without an INTEGER PRIMARY KEY; the FTS rows are
// keyed by rowid, so such a VACUUM must be followed by rebuilding them. Parley never runs one.)
const WAITING_KEY = sql.raw('coalesce(waiting_since, 8000000000000000 - last_message_at)');

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .alterTable('conversations')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .execute();
  await db.schema.alterTable('conversations').addColumn('waiting_since', 'bigint').execute();
  await db.schema.alterTable('conversations').addColumn('participant_handle', 'text').execute();
  // Waiting now: the last message is the person's. (Their first unanswered one is not worth a scan.)
  await sql`
    update conversations set waiting_since = last_inbound_at
    where last_inbound_at is not null
      and exists (select 1 from messages m where m.id = conversations.last_message_id and m.direction = 'inbound')
  `.execute(db);

  await db.schema
    .createIndex('conversations_org_status_recent_idx')
    .on('conversations')
    .columns(['org_id', 'status', 'last_message_at', 'id'])
    .execute();
  await sql`create index conversations_org_status_waiting_idx
    on conversations (org_id, status, (${WAITING_KEY}), id)`.execute(db);
  await sql`create index conversations_org_waiting_idx
    on conversations (org_id, (${WAITING_KEY}), id)`.execute(db);

  if (postgres) await postgresSearch(db);
  else await sqliteSearch(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
async function postgresSearch(db: Kysely<any>): Promise<void> {
  await sql`
    create function parley_fold(t text) returns text
    language sql immutable strict parallel safe as $$
      select regexp_replace(
        regexp_replace(normalize(lower(t), NFD), '[\u0300-\u036f]', '', 'g'),
        '[[:punct:][:space:]]+', ' ', 'g')
    $$`.execute(db);
  await sql`alter table messages add column search_vector tsvector
    generated always as (to_tsvector('simple', parley_fold(coalesce(text, '')))) stored`.execute(db);
  await sql`create index messages_text_search_idx on messages using gin (search_vector)`.execute(db);
  await sql`create index conversations_name_search_idx on conversations
    using gin (to_tsvector('simple', parley_fold(coalesce(participant_name, '') || ' ' || coalesce(participant_handle, ''))))`.execute(
    db,
  );
  // Newest matching message first: for a common word, walking the organization's messages by time and
  // testing each beats collecting every match (the planner picks per query from the index statistics).
  await db.schema
    .createIndex('messages_org_sent_idx')
    .on('messages')
    .columns(['org_id', 'sent_at', 'id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
async function sqliteSearch(db: Kysely<any>): Promise<void> {
  const tokenize = `tokenize = 'unicode61 remove_diacritics 2'`;
  await sql
    .raw(
      `create virtual table messages_fts using fts5(org, body, content = '', contentless_delete = 1, ${tokenize})`,
    )
    .execute(db);
  await sql
    .raw(
      `create virtual table conversations_fts using fts5(org, name, content = '', contentless_delete = 1, ${tokenize})`,
    )
    .execute(db);
  const org = (row: 'new' | 'old') => `replace(${row}.org_id, '-', '')`;
  const statements = [
    `create trigger messages_fts_insert after insert on messages when new.text is not null begin
       insert into messages_fts (rowid, org, body) values (new.rowid, ${org('new')}, new.text);
     end`,
    `create trigger messages_fts_update after update of text on messages begin
       delete from messages_fts where rowid = old.rowid;
       insert into messages_fts (rowid, org, body) select new.rowid, ${org('new')}, new.text where new.text is not null;
     end`,
    `create trigger messages_fts_delete after delete on messages begin
       delete from messages_fts where rowid = old.rowid;
     end`,
    `create trigger conversations_fts_insert after insert on conversations begin
       insert into conversations_fts (rowid, org, name)
       values (new.rowid, ${org('new')}, coalesce(new.participant_name, '') || ' ' || coalesce(new.participant_handle, ''));
     end`,
    `create trigger conversations_fts_update after update of participant_name, participant_handle on conversations begin
       delete from conversations_fts where rowid = old.rowid;
       insert into conversations_fts (rowid, org, name)
       values (new.rowid, ${org('new')}, coalesce(new.participant_name, '') || ' ' || coalesce(new.participant_handle, ''));
     end`,
    `create trigger conversations_fts_delete after delete on conversations begin
       delete from conversations_fts where rowid = old.rowid;
     end`,
    `insert into messages_fts (rowid, org, body) select rowid, ${org('new').replace('new.', '')}, text from messages where text is not null`,
    `insert into conversations_fts (rowid, org, name)
     select rowid, replace(org_id, '-', ''), coalesce(participant_name, '') || ' ' || coalesce(participant_handle, '') from conversations`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    await sql`drop index messages_org_sent_idx`.execute(db);
    await sql`drop index conversations_name_search_idx`.execute(db);
    await sql`drop index messages_text_search_idx`.execute(db);
    await sql`alter table messages drop column search_vector`.execute(db);
    await sql`drop function parley_fold(text)`.execute(db);
  } else {
    for (const t of ['messages', 'conversations']) {
      for (const op of ['insert', 'update', 'delete'])
        await sql.raw(`drop trigger ${t}_fts_${op}`).execute(db);
      await sql.raw(`drop table ${t}_fts`).execute(db);
    }
  }
  for (const i of [
    'conversations_org_waiting_idx',
    'conversations_org_status_waiting_idx',
    'conversations_org_status_recent_idx',
  ])
    await db.schema.dropIndex(i).execute();
  for (const c of ['participant_handle', 'waiting_since', 'status'])
    await db.schema.alterTable('conversations').dropColumn(c).execute();
}

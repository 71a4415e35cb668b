// One page of the conversation list with everything its views show, in one statement: the page
// (listConversationsQuery, on its keyset index) as a subquery, joined to the users naming its assignee
// and its last message's author. The last message and the first contact are read from the
// conversation's own row, where the database keeps a copy of them (migration 0013): reading them from
// the messages table made a page deep in a large inbox wait on random reads of that table and its
// indexes (issue 15, target 5). It replaces three sequential round trips (page, last messages, names).
// test/conversation-page.test.ts proves it equals the page read the three-query way from the messages
// themselves (view-loader.ts), after every kind of change to a message.
import { type Kysely, type SelectQueryBuilder, sql, type Transaction } from 'kysely';
import type { ConversationView } from '../contract.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { onPostgres } from '../storage/statement-shapes.ts';
import { type ListPageOptions, listConversationsQuery, waitingKeyOf } from './conversation-list-query.ts';
import type { ConversationRow } from './conversation-repository.ts';
import { toConversationView } from './inbox-views.ts';
import type { MessageRow } from './message-repository.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

/** Display name as assignment-repository.ts displayNames makes it: the name, else the email. */
const displayName = (name: string | null, email: string | null) => (name?.trim() ? name : (email ?? null));

export interface ConversationPage {
  /** The rows in list order (up to opts.limit; the caller cuts the look-ahead row). */
  rows: ConversationRow[];
  /** The view of each row, in the same order. */
  views: ConversationView[];
}

export async function listConversationPage(
  db: Db,
  orgId: string,
  opts: ListPageOptions,
): Promise<ConversationPage> {
  const page = await withViews(db, listConversationsQuery(db, orgId, opts)).execute();
  // The join keeps the subquery's rows but not, by any guarantee, its order: sort again by its keyset.
  const key = (r: ConversationRow) => (opts.sort === 'waiting' ? waitingKeyOf(r) : r.last_message_at);
  const sign = opts.sort === 'waiting' ? 1 : -1;
  page.sort((a, b) => sign * (key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  return split(page);
}

/**
 * The organization's conversations with these ids and their views, in one statement (live events and
 * the PATCH answer: conversation.updated). Rows in no particular order; other organizations' ids are
 * simply not found.
 */
export async function conversationPageByIds(db: Db, orgId: string, ids: string[]): Promise<ConversationPage> {
  const found: ConversationRow[] = [];
  // In chunks, under both databases' bound-parameter limits (a removed member may have had thousands).
  for (let i = 0; i < ids.length; i += 500) {
    const chosen = db
      .selectFrom('conversations')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', 'in', ids.slice(i, i + 500));
    found.push(...(await withViews(db, chosen).execute()));
  }
  return split(found);
}

/** `rows` (a query of conversations) joined to what their views show. */
function withViews(db: Db, rows: SelectQueryBuilder<DatabaseSchema, 'conversations', ConversationRow>) {
  // The author's id inside the copied message, in each database's JSON dialect.
  const author = onPostgres(db)
    ? sql<string | null>`(c.last_message_copy::json ->> 'sent_by_user_id')`
    : sql<string | null>`json_extract(c.last_message_copy, '$.sent_by_user_id')`;
  return db
    .selectFrom(rows.as('c'))
    .leftJoin('users as ua', 'ua.id', 'c.assignee_id')
    .leftJoin('users as um', (join) => join.on('um.id', '=', author))
    .selectAll('c')
    .select([
      'ua.name as assignee_name',
      'ua.email as assignee_email',
      'um.name as author_name',
      'um.email as author_email',
    ]);
}

const NAME_COLUMNS = new Set(['assignee_name', 'assignee_email', 'author_name', 'author_email']);

/**
 * Joined rows → the conversation rows and their views (names as assignment-repository.ts makes them).
 * The conversation's columns are read once from the first row (every row of a statement has the same
 * ones) and each object is built by plain assignments in one order. Walking every row with
 * Object.entries (a pair array per column) took a quarter of listConversationPage's time on a 26-row
 * page; this takes about 7 µs a row less (948 → 771 µs a page, SQLite, 1M messages; issue 15).
 */
function split(found: ConversationRow[]): ConversationPage {
  const rows: ConversationRow[] = [];
  const views: ConversationView[] = [];
  const joined = found as unknown as Array<Record<string, unknown>>;
  if (joined.length === 0) return { rows, views };
  const conversationColumns = Object.keys(joined[0]!).filter((k) => !NAME_COLUMNS.has(k));
  for (const r of joined) {
    const row: Record<string, unknown> = {};
    for (const k of conversationColumns) row[k] = r[k];
    const conversation = row as unknown as ConversationRow;
    const last = conversation.last_message_copy
      ? (JSON.parse(conversation.last_message_copy) as MessageRow)
      : null;
    const names = new Map<string, string>();
    const assignee = displayName(r.assignee_name as string | null, r.assignee_email as string | null);
    if (conversation.assignee_id !== null && assignee !== null) names.set(conversation.assignee_id, assignee);
    const author = displayName(r.author_name as string | null, r.author_email as string | null);
    if (last?.sent_by_user_id && author !== null) names.set(last.sent_by_user_id, author);
    rows.push(conversation);
    const firstAt = conversation.first_message_at;
    const first = firstAt == null ? null : new Date(Number(firstAt)).toISOString();
    views.push({ ...toConversationView(conversation, last, names), first_contact_at: first });
  }
  return { rows, views };
}

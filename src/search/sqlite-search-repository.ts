// Search on SQLite: FTS5 tables `messages_fts(org, body)` and `conversations_fts(org, name)` (unicode61
// with remove_diacritics 2: case and accents folded by the tokenizer, for the stored text and the query
// alike). Each row carries its organization as a token, so the MATCH itself keeps to one organization.
// Messages are walked newest stored first (FTS5 reads its postings in rowid order and stops at the
// LIMIT), in batches, until enough conversations are found: a common word costs a few hundred rows, a
// rare one a short posting list. "Newest" is the latest stored, which is the latest sent for every
// message Parley receives live; among the rows read, each conversation keeps its latest sent.
import { sql } from 'kysely';
import {
  type Db,
  distinctConversations,
  type MessageHit,
  type SearchFilter,
  type SearchRepository,
} from './search-repository.ts';

const BATCH = 250;
/** Upper bound on rows read per search, so one pathological query cannot hold the database. */
const MAX_ROWS = 5_000;

const orgToken = (orgId: string) => orgId.replaceAll('-', '');
const quote = (t: string) => `"${t.replaceAll('"', '""')}"`;

function matchExpression(orgId: string, column: 'body' | 'name', terms: string[], prefix: boolean): string {
  const last = terms.length - 1;
  const term = (t: string, i: number) => `${column} : ${quote(t)}${prefix && i === last ? ' *' : ''}`;
  return [`org : ${quote(orgToken(orgId))}`, ...terms.map(term)].join(' AND ');
}

function conversationFilters(filter: SearchFilter) {
  return sql.join(
    [
      sql`1 = 1`,
      ...(filter.status === 'all' ? [] : [sql`c.status = ${filter.status}`]),
      ...(filter.channel ? [sql`c.channel = ${filter.channel}`] : []),
      ...(filter.assignee === undefined
        ? []
        : [filter.assignee === null ? sql`c.assignee_id is null` : sql`c.assignee_id = ${filter.assignee}`]),
    ],
    sql` and `,
  );
}

export class SqliteSearchRepository implements SearchRepository {
  async conversationsByName(
    db: Db,
    orgId: string,
    terms: string[],
    filter: SearchFilter,
    limit: number,
  ): Promise<string[]> {
    if (terms.length === 0) return [];
    const { rows } = await sql<{ id: string }>`
      select c.id from conversations_fts f join conversations c on c.rowid = f.rowid
      where conversations_fts match ${matchExpression(orgId, 'name', terms, filter.prefix === true)} and c.org_id = ${orgId}
        and ${conversationFilters(filter)}
      order by c.last_message_at desc, c.id desc limit ${limit}`.execute(db);
    return rows.map((r) => r.id);
  }

  async newestMessageHits(
    db: Db,
    orgId: string,
    terms: string[],
    filter: SearchFilter,
    limit: number,
  ): Promise<MessageHit[]> {
    if (terms.length === 0) return [];
    const match = matchExpression(orgId, 'body', terms, filter.prefix === true);
    const hits: MessageHit[] = [];
    const conversations = new Set<string>();
    let below = Number.MAX_SAFE_INTEGER;
    for (let read = 0; read < MAX_ROWS; read += BATCH) {
      const { rows } = await sql<{
        r: number;
        id: string;
        conversation_id: string;
        text: string;
        sent_at: number;
      }>`
        select f.rowid as r, m.id, m.conversation_id, m.text, m.sent_at
        from messages_fts f
          join messages m on m.rowid = f.rowid
          join conversations c on c.id = m.conversation_id
        where messages_fts match ${match} and f.rowid < ${below} and m.org_id = ${orgId}
          and ${conversationFilters(filter)}
        order by f.rowid desc limit ${BATCH}`.execute(db);
      for (const row of rows) {
        hits.push({
          conversationId: row.conversation_id,
          messageId: row.id,
          text: row.text,
          sentAt: Number(row.sent_at),
        });
        conversations.add(row.conversation_id);
      }
      if (rows.length < BATCH || conversations.size >= limit) break;
      below = rows.at(-1)!.r;
    }
    return distinctConversations(hits, limit);
  }
}

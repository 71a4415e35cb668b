// Search on PostgreSQL: messages.search_vector (stored to_tsvector('simple', parley_fold(text))) and the
// name/handle expression, both with GIN indexes (migration 0008), where
// parley_fold lowercases, strips accents and turns punctuation into spaces; each term becomes a prefix
// query `parley_fold(term)` (the last `:*` when asked for a prefix), folded by the same function, so
// stored text and query agree. Messages are read newest sent first, either through the GIN index (a
// rare word) or by walking the organization's messages by time testing each (a common one, index
// messages_org_sent_idx); which one is decided by a short walk first (messageHits), as the planner's
// statistics misjudged conjunctions and prefixes. The tsquery is computed first and inlined as a
// constant, because with a bound parameter the planner guesses even more, and a wrong guess walked
// 100,000 messages for a word in none of them (seconds at 1M). Each search runs with
// parallel workers off: its plans read a few hundred rows, and starting a worker (≈ 25 ms on a busy
// machine) cost more than the whole query.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import {
  type Db,
  distinctConversations,
  type MessageHit,
  type SearchFilter,
  type SearchRepository,
} from './search-repository.ts';

interface PgHitRow {
  id: string;
  conversation_id: string;
  text: string;
  sent_at: string | number;
}

const BATCH = 250;
const MAX_ROWS = 5_000;
const WALK = 300;
/** Matches in all organizations up to which a word counts as rare everywhere (see messageHits). */
const RARE = 2_000;

/** Newest sent first, then by id descending: the order every read below returns hits in. */
const newestFirst = (a: PgHitRow, b: PgHitRow) =>
  Number(b.sent_at) - Number(a.sent_at) || (a.id < b.id ? 1 : -1);

function tsquery(terms: string[], prefix: boolean) {
  // A term folds to one word (searchTerms keeps letters and digits only), so to_tsquery parses it whole.
  return sql.join(
    terms.map((t, i) =>
      prefix && i === terms.length - 1
        ? sql`to_tsquery('simple', parley_fold(${t}) || ':*')`
        : sql`to_tsquery('simple', parley_fold(${t}))`,
    ),
    sql` && `,
  );
}

function conversationFilters(filter: SearchFilter) {
  return sql.join(
    [
      sql`true`,
      ...(filter.status === 'all' ? [] : [sql`c.status = ${filter.status}`]),
      ...(filter.channel ? [sql`c.channel = ${filter.channel}`] : []),
      ...(filter.assignee === undefined
        ? []
        : [filter.assignee === null ? sql`c.assignee_id is null` : sql`c.assignee_id = ${filter.assignee}`]),
    ],
    sql` and `,
  );
}

/**
 * Runs `work` in a transaction without parallel workers, given the folded tsquery as a constant the
 * planner can read statistics for (null when it has no words: `work` is not run). The setting
 * (set_config … is_local, i.e. SET LOCAL) and the folding are one statement: a round trip fewer per
 * search, each a wait on the pool and the network.
 */
async function withConstantTsquery<T>(
  db: Db,
  terms: string[],
  prefix: boolean,
  empty: T,
  work: (tx: Db, query: RawBuilder<unknown>) => Promise<T>,
): Promise<T> {
  const run = async (tx: Db) => {
    const { rows } = await sql<{ q: string }>`
      select set_config('max_parallel_workers_per_gather', '0', true) as p, (${tsquery(terms, prefix)})::text as q`.execute(
      tx,
    );
    const text = rows[0]?.q ?? '';
    // The text is PostgreSQL's own rendering of a tsquery; sql.lit quotes it as a string literal.
    return text === '' ? empty : work(tx, sql`${sql.lit(text)}::tsquery`);
  };
  return db.isTransaction ? run(db) : (db as Kysely<DatabaseSchema>).transaction().execute(run);
}

export class PostgresSearchRepository implements SearchRepository {
  /**
   * `walk`: how many of an organization's newest messages are tested before the GIN index is read.
   * `rare`: how many matches in all organizations the GIN index may give for them all to be read at once.
   */
  constructor(
    private readonly walk = WALK,
    private readonly rare = RARE,
  ) {}

  async conversationsByName(
    db: Db,
    orgId: string,
    terms: string[],
    filter: SearchFilter,
    limit: number,
  ): Promise<string[]> {
    if (terms.length === 0) return [];
    return withConstantTsquery(db, terms, filter.prefix === true, [], (tx, query) =>
      this.byName(tx, orgId, query, filter, limit),
    );
  }

  private async byName(
    db: Db,
    orgId: string,
    query: RawBuilder<unknown>,
    filter: SearchFilter,
    limit: number,
  ): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`
      select c.id from conversations c
      where c.org_id = ${orgId}
        and to_tsvector('simple', parley_fold(coalesce(c.participant_name, '') || ' ' || coalesce(c.participant_handle, ''))) @@ ${query}
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
    return withConstantTsquery(db, terms, filter.prefix === true, [], (tx, query) =>
      this.messageHits(tx, orgId, query, filter, limit),
    );
  }

  private async messageHits(
    db: Db,
    orgId: string,
    query: RawBuilder<unknown>,
    filter: SearchFilter,
    limit: number,
  ): Promise<MessageHit[]> {
    const hits: MessageHit[] = [];
    const conversations = new Set<string>();
    const take = (rows: PgHitRow[]) => {
      for (const row of rows) {
        hits.push({
          conversationId: row.conversation_id,
          messageId: row.id,
          text: row.text,
          sentAt: Number(row.sent_at),
        });
        conversations.add(row.conversation_id);
      }
    };
    // First the organization's newest `walk` messages, each tested (an index walk whatever the planner
    // thinks of the words). They answer a search for a word common enough, and they measure how common
    // the words are: the statement then sets, for the rest of the transaction, how the search goes on
    // (only when the walk found too few) — walking on by time when at least one walked message in ten
    // matched, else reading the GIN index. The planner's own guess, from statistics, failed both ways at
    // 1M messages: words common apart and rare together ('order' & '5') or a prefix walked all 100,000
    // messages of an organization (100–300 ms, the search p99 of issue 12), and a common prefix read
    // a million GIN entries.
    const { rows: walked } = await sql<PgHitRow & { edge: boolean; common: boolean | null }>`
      with walked as materialized (
        select id, conversation_id, text, sent_at, search_vector from messages
        where org_id = ${orgId} order by sent_at desc, id desc limit ${this.walk}
      ),
      common as (
        select (select count(*) from walked where search_vector @@ ${query}) * 10 >= ${this.walk} as yes
      )
      select * from (
        select m.id, m.conversation_id, m.text, m.sent_at, false as edge, null::boolean as common
        from walked m join conversations c on c.id = m.conversation_id
        where m.search_vector @@ ${query} and ${conversationFilters(filter)}
        order by m.sent_at desc, m.id desc
      ) hits
      union all
      select * from (
        select w.id, w.conversation_id, null, w.sent_at, true as edge, common.yes from walked w, common
        where (select count(*) from walked) = ${this.walk}
          and set_config('enable_indexscan', case when common.yes then 'on' else 'off' end, true)
            || set_config('enable_bitmapscan', case when common.yes then 'off' else 'on' end, true)
            || set_config('enable_seqscan', 'off', true)
            || set_config('enable_hashjoin', 'off', true) is not null
        order by w.sent_at asc, w.id asc limit 1
      ) oldest`.execute(db);
    const edge = walked.find((r) => r.edge);
    take(walked.filter((r) => !r.edge).sort(newestFirst));
    // The walk read the whole organization, or found enough: the rows below would not change the answer.
    if (!edge || conversations.size >= limit) return distinctConversations(hits, limit);

    let after: { at: number; id: string } = { at: Number(edge.sent_at), id: edge.id };
    // A word rare in this organization's newest messages goes to the GIN index. Rare everywhere (at most
    // `rare` matches in all organizations), its matches are all read at once and filtered here. Left to
    // the planner, such a word with a prefix ('order' & '8004':*) was judged common from its statistics,
    // and the planner intersected the index with the organization's 100,000 rows of messages_org_mid_uq:
    // 40–80 ms for 5 rows. A word common elsewhere stops at `rare` + 1 rows and takes the batched reads
    // below, where that intersection does pay; it then reads the index twice (the first read of
    // 'order':*, with 500,000 matches at 1M messages, took 82 ms of the statement's 101).
    if (!edge.common) {
      const { rows }: { rows: Array<PgHitRow & { everywhere: string }> } = await sql<
        PgHitRow & { everywhere: string }
      >`
        with g as materialized (
          select id, org_id, conversation_id, text, sent_at from messages
          where search_vector @@ ${query} limit ${this.rare + 1}
        )
        select m.id, m.conversation_id, m.text, m.sent_at, k.everywhere
        from (select count(*) as everywhere from g) k
        left join lateral (
          select m.* from g m join conversations c on c.id = m.conversation_id
          where m.org_id = ${orgId}
            and (m.sent_at < ${after.at} or (m.sent_at = ${after.at} and m.id < ${after.id}))
            and ${conversationFilters(filter)}
        ) m on true`.execute(db);
      if (Number(rows[0]?.everywhere ?? 0) <= this.rare) {
        take(rows.filter((r) => r.id !== null).sort(newestFirst));
        return distinctConversations(hits, limit);
      }
    }
    for (let read = hits.length; read < MAX_ROWS; read += BATCH) {
      const { rows }: { rows: PgHitRow[] } = await sql<PgHitRow>`
        select m.id, m.conversation_id, m.text, m.sent_at
        from messages m join conversations c on c.id = m.conversation_id
        where m.org_id = ${orgId}
          and m.search_vector @@ ${query}
          and (m.sent_at < ${after.at} or (m.sent_at = ${after.at} and m.id < ${after.id}))
          and ${conversationFilters(filter)}
        order by m.sent_at desc, m.id desc limit ${BATCH}`.execute(db);
      take(rows);
      if (rows.length < BATCH || conversations.size >= limit) break;
      const last: PgHitRow = rows.at(-1)!;
      after = { at: Number(last.sent_at), id: last.id };
    }
    return distinctConversations(hits, limit);
  }
}

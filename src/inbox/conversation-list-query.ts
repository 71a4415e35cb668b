// The conversation list's page query: filters (status, channel, assignee), the two sorts and their keyset
// cursors, written so both databases start every page at an index range (migrations 0008 and 0010).
// Apart from conversation-repository.ts, which writes conversations, because the list is read-only and
// has its own index contract.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Channel } from '../contract.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { ConversationRow } from './conversation-repository.ts';
import type { CursorKey } from './inbox-cursor.ts';
import type { ConversationStatus } from './inbox-tables.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

/**
 * The sort key of `sort=waiting`: conversations waiting for an answer by how long they have waited
 * (oldest first), then the answered ones by newest activity. Written exactly as in migration 0008's
 * indexes, so both planners use them.
 */
export const WAITING_KEY = sql<number>`coalesce(waiting_since, 8000000000000000 - last_message_at)`;

export interface ListFilter {
  channel?: Channel;
  status: ConversationStatus | 'all';
  /** A member's id, null for the unassigned, undefined for any. */
  assignee?: string | null;
}

/**
 * One page of the list. `recent`: newest activity first; `waiting`: WAITING_KEY ascending. `after` is
 * the sort key and id of the previous page's last item.
 */
export async function listConversations(
  db: Db,
  orgId: string,
  opts: ListPageOptions,
): Promise<ConversationRow[]> {
  return listConversationsQuery(db, orgId, opts).execute();
}

export type ListPageOptions = ListFilter & {
  sort: 'recent' | 'waiting';
  after: CursorKey | null;
  limit: number;
};

/** listConversations as a query, for a statement that joins what the page shows (conversation-page.ts). */
export function listConversationsQuery(db: Db, orgId: string, opts: ListPageOptions) {
  let q = db.selectFrom('conversations').selectAll().where('org_id', '=', orgId);
  if (opts.status !== 'all') q = q.where('status', '=', opts.status);
  if (opts.channel) q = q.where('channel', '=', opts.channel);
  if (opts.assignee !== undefined)
    q = q.where('assignee_id', opts.assignee === null ? 'is' : '=', opts.assignee);
  const after = opts.after;
  if (opts.sort === 'waiting') {
    if (after) {
      // The redundant bound is the index range both planners start the page at; the OR alone is only a
      // filter to PostgreSQL, which then walked every row of the earlier pages.
      q = q
        .where(WAITING_KEY, '>=', after.at)
        .where((eb) =>
          eb.or([
            eb(WAITING_KEY, '>', after.at),
            eb.and([eb(WAITING_KEY, '=', after.at), eb('id', '>', after.id)]),
          ]),
        );
    }
    return q.orderBy(WAITING_KEY, 'asc').orderBy('id', 'asc').limit(pageSize(opts.limit));
  }
  if (after) {
    // See above: the bound makes the keyset an index range on both databases, not a filter.
    q = q
      .where('last_message_at', '<=', after.at)
      .where((eb) =>
        eb.or([
          eb('last_message_at', '<', after.at),
          eb.and([eb('last_message_at', '=', after.at), eb('id', '<', after.id)]),
        ]),
      );
  }
  return q.orderBy('last_message_at', 'desc').orderBy('id', 'desc').limit(pageSize(opts.limit));
}

/** The value of WAITING_KEY for a row, for the next page's cursor. */
export function waitingKeyOf(row: ConversationRow): number {
  return row.waiting_since ?? 8_000_000_000_000_000 - row.last_message_at;
}

/**
 * The page size written into the SQL, not bound as a parameter. PostgreSQL plans a prepared statement
 * once for all parameter values (a generic plan) only when that plan costs no more than the plans made
 * for each call; with LIMIT a parameter, the generic plan assumes a tenth of the rows and never wins, so
 * every list request paid its 0.6 ms of planning again (issue 15, target 5). Page sizes are constants.
 */
function pageSize(limit: number) {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`page size ${limit}`);
  return sql.lit(limit);
}

// Queries for messages. Inserts dedupe on the unique (org_id, mid) index with ON CONFLICT DO NOTHING
// (R39, ASVS 15.4.2): a redelivered or concurrently delivered event inserts nothing the second time.
// Status updates name the statuses they may move from, so a late receipt never moves one back.
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { rowBatches } from '../storage/statement-shapes.ts';
import type { CursorKey } from './inbox-cursor.ts';
import type { MessageStatus, MessagesTable } from './inbox-tables.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;
export type MessageRow = MessagesTable;

/** The inserted row, or null when a message with this mid already exists in the organization. */
export async function insertMessage(db: Db, row: MessageRow): Promise<MessageRow | null> {
  return (await insertMessages(db, [row]))[0] ?? null;
}

/** Inserts many at once; returns only the rows that were new (redelivered mids are skipped). */
export async function insertMessages(db: Db, rows: MessageRow[]): Promise<MessageRow[]> {
  const inserted: MessageRow[] = [];
  // 16 columns × 200 rows stays under SQLite's and PostgreSQL's bound-parameter limits.
  for (const batch of rowBatches(db, rows, 200)) {
    // Only the ids come back: the rows are the ones sent, and RETURNING * made the database send every
    // column again (on PostgreSQL the search vector's text too) for the processor to parse.
    const ids = await db
      .insertInto('messages')
      .values(batch)
      .onConflict((oc) => oc.columns(['org_id', 'mid']).doNothing())
      .returning('id')
      .execute();
    const written = new Set(ids.map((r) => r.id));
    for (const row of batch) {
      // A row that left `kind` to the column's default gets it here (no spread for the webhook's rows,
      // which name it: Node 20 makes spreads slow, webhook-payload.ts).
      if (written.has(row.id)) inserted.push(row.kind ? row : { ...row, kind: 'message' });
    }
  }
  return inserted;
}

export async function findByMid(db: Db, orgId: string, mid: string): Promise<MessageRow | null> {
  return (
    (await db
      .selectFrom('messages')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('mid', '=', mid)
      .executeTakeFirst()) ?? null
  );
}

export async function findByMids(db: Db, orgId: string, mids: string[]): Promise<MessageRow[]> {
  if (mids.length === 0) return [];
  return db.selectFrom('messages').selectAll().where('org_id', '=', orgId).where('mid', 'in', mids).execute();
}

export async function findMessage(db: Db, orgId: string, id: string): Promise<MessageRow | null> {
  return (
    (await db
      .selectFrom('messages')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst()) ?? null
  );
}

export async function findMessagesByIds(db: Db, ids: string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('messages').selectAll().where('id', 'in', ids).execute();
}

/** Newest first; `after` is the last item of the previous page. */
export async function listMessages(
  db: Db,
  conversationId: string,
  opts: { after: CursorKey | null; limit: number },
): Promise<MessageRow[]> {
  let q = db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
  const after = opts.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([eb('sent_at', '<', after.at), eb.and([eb('sent_at', '=', after.at), eb('id', '<', after.id)])]),
    );
  }
  return q.orderBy('sent_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
}

export async function updateMessage(
  db: Db,
  id: string,
  change: Partial<Omit<MessageRow, 'id' | 'org_id' | 'conversation_id'>>,
  onlyFrom?: readonly MessageStatus[],
): Promise<MessageRow | null> {
  let q = db.updateTable('messages').set(change).where('id', '=', id);
  if (onlyFrom) q = q.where('status', 'in', [...onlyFrom]);
  return (await q.returningAll().executeTakeFirst()) ?? null;
}

/**
 * Moves the conversation's outbound messages to `to` when Meta's receipt covers them: by mid, or by a
 * watermark compared with Meta's own timestamp of each message. Returns the rows that changed.
 */
export async function advanceOutbound(
  db: Db,
  conversationId: string,
  to: 'delivered' | 'read',
  from: readonly MessageStatus[],
  covers: { mids?: string[]; upTo?: number | null },
  now: number,
): Promise<MessageRow[]> {
  const mids = covers.mids ?? [];
  const upTo = covers.upTo ?? null;
  if (mids.length === 0 && upTo === null) return [];
  return db
    .updateTable('messages')
    .set({ status: to, updated_at: now })
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'outbound')
    .where('status', 'in', [...from])
    .where((eb) => {
      const ors = [];
      if (mids.length > 0) ors.push(eb('mid', 'in', mids));
      if (upTo !== null) ors.push(eb.and([eb('meta_at', 'is not', null), eb('meta_at', '<=', upTo)]));
      return eb.or(ors);
    })
    .returningAll()
    .execute();
}

/** The agent opened the conversation: every inbound message counts as read. */
export async function markInboundRead(db: Db, conversationId: string, now: number): Promise<void> {
  await db
    .updateTable('messages')
    .set({ status: 'read', updated_at: now })
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'inbound')
    .where('status', '=', 'received')
    .execute();
}

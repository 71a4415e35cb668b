// Queries for conversations. The first argument is the database or a transaction. Every read by id is
// scoped by org_id (R23): another organization's conversation is simply not found.
// Every write to a conversation is here (past 300 lines) so the rules of its counters — unread,
// waiting time, last message, watermarks — are read together; the list's read query is in
// conversation-list-query.ts.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Channel } from '../contract.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { newRowId } from '../storage/row-id.ts';
import { inLists, onPostgres, rowBatches } from '../storage/statement-shapes.ts';
import type { ConversationStatus, ConversationsTable } from './inbox-tables.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;
export type ConversationRow = ConversationsTable;

export interface ParticipantKey {
  orgId: string;
  channel: Channel;
  accountId: string;
  participantId: string;
}

/**
 * The conversations with these people, created on first contact (`at`: each one's first-message time),
 * returned locked (lockConversations). INSERT … ON CONFLICT DO NOTHING on the unique key, one statement
 * per chunk, settles concurrent first messages without a check-then-act race (field lessons row 7).
 */
export async function ensureConversations(
  db: Db,
  people: Array<{ key: ParticipantKey; at: number }>,
  now: number,
): Promise<ConversationRow[]> {
  if (people.length === 0) return [];
  // Most deliveries come from people already known: finding them first spares the INSERT of every row
  // (22 columns each) that would only meet the conflict (a tenth of the processor's SQLite time).
  const ids = await conversationIds(
    db,
    people.map((p) => p.key),
  );
  const missing = people.filter(({ key }) => !ids.has(participantKeyOf(key)));
  // 18 columns × 60 rows stays far under the bound-parameter limits of both databases.
  for (const batch of rowBatches(db, missing, 60)) {
    await db
      .insertInto('conversations')
      .values(
        batch.map(({ key, at }) => ({
          id: newRowId(),
          org_id: key.orgId,
          channel: key.channel,
          account_id: key.accountId,
          participant_id: key.participantId,
          participant_name: null,
          profile_checked_at: null,
          last_message_id: null,
          last_message_at: at,
          last_inbound_at: null,
          unread_count: 0,
          delivered_watermark: 0,
          read_watermark: 0,
          referral: null,
          standby_at: null,
          participant_picture_id: null,
          created_at: now,
          updated_at: now,
          status: 'open' as const,
          waiting_since: null,
          participant_handle: null,
          assignee_id: null,
        })),
      )
      .onConflict((oc) => oc.columns(['org_id', 'channel', 'account_id', 'participant_id']).doNothing())
      .execute();
  }
  if (missing.length > 0) {
    for (const [k, id] of await conversationIds(
      db,
      missing.map((p) => p.key),
    ))
      ids.set(k, id);
  }
  return lockConversations(db, [...ids.values()]);
}

const participantKeyOf = (key: ParticipantKey) =>
  `${key.orgId}|${key.channel}|${key.accountId}|${key.participantId}`;

/** The ids of these people's conversations that exist, by participantKeyOf. */
async function conversationIds(db: Db, keys: ParticipantKey[]): Promise<Map<string, string>> {
  if (onPostgres(db)) return conversationIdsJoined(db, keys);
  const ids = new Map<string, string>();
  const byAccount = new Map<string, { key: ParticipantKey; participants: string[] }>();
  for (const key of keys) {
    const k = `${key.orgId}|${key.channel}|${key.accountId}`;
    const group = byAccount.get(k) ?? { key, participants: [] };
    group.participants.push(key.participantId);
    byAccount.set(k, group);
  }
  for (const { key, participants } of byAccount.values()) {
    for (const list of inLists(db, participants, 500)) {
      const rows = await db
        .selectFrom('conversations')
        .select(['id', 'participant_id'])
        .where('org_id', '=', key.orgId)
        .where('channel', '=', key.channel)
        .where('account_id', '=', key.accountId)
        .where('participant_id', 'in', list)
        .execute();
      for (const r of rows) {
        const { orgId, channel, accountId } = key;
        ids.set(participantKeyOf({ orgId, channel, accountId, participantId: r.participant_id }), r.id);
      }
    }
  }
  return ids;
}

/**
 * conversationIds on PostgreSQL: one statement per 500 people whatever their accounts, a join with a
 * VALUES list on the unique key (a batch from ten Pages was ten round trips).
 */
async function conversationIdsJoined(db: Db, keys: ParticipantKey[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = sql.join(
      keys
        .slice(i, i + 500)
        .map(
          (k) =>
            sql`(cast(${k.orgId} as text), cast(${k.channel} as text), cast(${k.accountId} as text), cast(${k.participantId} as text))`,
        ),
    );
    const found = await sql<
      Pick<ConversationRow, 'id' | 'org_id' | 'channel' | 'account_id' | 'participant_id'>
    >`
      select c.id, c.org_id, c.channel, c.account_id, c.participant_id
      from conversations c join (values ${rows}) as v(org_id, channel, account_id, participant_id)
        on c.org_id = v.org_id and c.channel = v.channel and c.account_id = v.account_id
        and c.participant_id = v.participant_id`.execute(db);
    for (const r of found.rows) {
      ids.set(
        participantKeyOf({
          orgId: r.org_id,
          channel: r.channel,
          accountId: r.account_id,
          participantId: r.participant_id,
        }),
        r.id,
      );
    }
  }
  return ids;
}

export async function findByParticipant(db: Db, key: ParticipantKey): Promise<ConversationRow | null> {
  return (
    (await db
      .selectFrom('conversations')
      .selectAll()
      .where('org_id', '=', key.orgId)
      .where('channel', '=', key.channel)
      .where('account_id', '=', key.accountId)
      .where('participant_id', '=', key.participantId)
      .executeTakeFirst()) ?? null
  );
}

export async function findConversation(db: Db, orgId: string, id: string): Promise<ConversationRow | null> {
  return (
    (await db
      .selectFrom('conversations')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst()) ?? null
  );
}

export async function findConversationsByIds(db: Db, ids: string[]): Promise<ConversationRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('conversations').selectAll().where('id', 'in', ids).execute();
}

/** Makes `messageId` the conversation's last message unless a newer one is already there. */
export async function offerLastMessage(
  db: Db,
  id: string,
  messageId: string,
  at: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ last_message_id: messageId, last_message_at: at, updated_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_message_id', 'is', null), eb('last_message_at', '<=', at)]))
    .execute();
}

/**
 * Takes the conversation's row lock for the rest of the transaction and returns the row as committed
 * now. Two processors applying different deliveries of one conversation (an echo inserting a message,
 * a read raising the watermark) must not each compute from what the other has not committed yet.
 * PostgreSQL: SELECT … FOR UPDATE. (It was a no-op UPDATE and then a SELECT: two statements, and a
 * dead row version per conversation per transaction, about 9 % of PostgreSQL's statement time over a
 * burst and its drain.) SQLite has no row locks and needs none: its writers take turns.
 * Every transaction that changes a message takes this first: the database's trigger then writes the
 * message's copy onto the conversation (migration 0013), and taking the two locks in the other order
 * could deadlock with a processor holding the conversation.
 */
export async function lockConversation(db: Db, id: string): Promise<ConversationRow | null> {
  const q = db.selectFrom('conversations').selectAll().where('id', '=', id);
  return (await (onPostgres(db) ? q.forUpdate() : q).executeTakeFirst()) ?? null;
}

/** lockConversation for several rows, taken in id order (the same order in every processor). */
export async function lockConversations(db: Db, ids: string[]): Promise<ConversationRow[]> {
  const sorted = [...new Set(ids)].sort();
  const out: ConversationRow[] = [];
  for (const list of inLists(db, sorted, 500)) {
    // PostgreSQL locks the rows as the sorted result returns them, so in id order.
    const q = db.selectFrom('conversations').selectAll().where('id', 'in', list).orderBy('id');
    out.push(...(await (onPostgres(db) ? q.forUpdate() : q).execute()));
  }
  return out;
}

/**
 * New messages from the person, for many conversations in one statement per 200 (on SQLite, per
 * power-of-two batch: storage/statement-shapes.ts): for each, `count` more unread, the 24-hour window
 * restarted from the newest, and the newest (`messageId` at `at`) becoming the last message unless a
 * newer one is already there; a resolved conversation reopens, and one that was answered starts waiting
 * from the oldest new message (`firstAt`). (UPDATE … FROM a VALUES list named by a WITH, which
 * PostgreSQL and SQLite ≥ 3.33 both run; the CASEs read the row as it was before this statement. The
 * first row's casts type the columns on PostgreSQL. A UNION ALL of one-row SELECTs did the same, but
 * PostgreSQL planned 200 branches each time: in an inline drain of 20,000 deliveries the statement took
 * 1,761–2,199 ms in all, 1,361–1,371 ms as VALUES.)
 */
export async function recordInboundMessages(
  db: Db,
  items: Array<{ id: string; count: number; messageId: string; at: number; firstAt: number }>,
  now: number,
): Promise<void> {
  for (let i = 0; i < items.length; i += 200) {
    const rows = sql.join(
      items
        .slice(i, i + 200)
        .map((it, k) =>
          k === 0
            ? sql`(cast(${it.id} as text), cast(${it.count} as bigint), cast(${it.at} as bigint), cast(${it.messageId} as text), cast(${it.firstAt} as bigint))`
            : sql`(${it.id}, ${it.count}, ${it.at}, ${it.messageId}, ${it.firstAt})`,
        ),
    );
    const takes = sql`(c.last_message_id is null or c.last_message_at <= v.at)`;
    // PostgreSQL: the new last message's copy is written here, in the row version this statement makes,
    // rather than by the conversation's trigger calling a function for it (migration 0014).
    const copy = onPostgres(db)
      ? sql`last_message_copy = case when ${takes} then (select parley_message_copy(m) from messages m where m.id = v.mid) else c.last_message_copy end,`
      : sql``;
    await sql`with v(id, n, at, mid, first_at) as (values ${rows})
      update conversations as c set
        unread_count = c.unread_count + v.n,
        last_inbound_at = case when c.last_inbound_at is null or c.last_inbound_at < v.at then v.at else c.last_inbound_at end,
        last_message_id = case when ${takes} then v.mid else c.last_message_id end,
        last_message_at = case when ${takes} then v.at else c.last_message_at end,
        ${copy}
        status = 'open',
        waiting_since = case when c.waiting_since is null then v.first_at else c.waiting_since end,
        updated_at = ${now}
      from v
      where c.id = v.id`.execute(db);
  }
}

/**
 * The business answered at `at`: the conversation no longer waits, unless the person wrote again after
 * that answer (a late echo of an older reply does not clear a newer question).
 */
export async function markAnswered(db: Db, id: string, at: number): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ waiting_since: null })
    .where('id', '=', id)
    .where('waiting_since', '<=', at)
    .execute();
}

/** Sets the status; returns false when the organization has no such conversation. */
export async function setStatus(
  db: Db,
  orgId: string,
  id: string,
  status: ConversationStatus,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('conversations')
    .set({ status, updated_at: now })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Moves a receipt watermark forward, never back (R39); returns the conversation as it is now. */
export async function raiseWatermark(
  db: Db,
  id: string,
  which: 'delivered_watermark' | 'read_watermark',
  watermark: number,
  now: number,
): Promise<ConversationRow | null> {
  const column = sql.ref(which);
  await db
    .updateTable('conversations')
    .set({
      [which]: sql<number>`case when ${column} < ${watermark} then ${watermark} else ${column} end`,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  return (await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function markConversationRead(db: Db, orgId: string, id: string, now: number): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ unread_count: 0, updated_at: now })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .execute();
}

export async function setProfile(
  db: Db,
  id: string,
  name: string | null,
  now: number,
  handle: string | null = null,
): Promise<void> {
  await db
    .updateTable('conversations')
    .set(
      name === null
        ? { profile_checked_at: now }
        : { participant_name: name, participant_handle: handle, profile_checked_at: now, updated_at: now },
    )
    .where('id', '=', id)
    .execute();
}

/** The handle alone, leaving the name (and so the profile lookup) as they are. */
export async function setHandle(db: Db, id: string, handle: string, now: number): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ participant_handle: handle, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function updateConversation(
  db: Db,
  id: string,
  change: Partial<Pick<ConversationRow, 'referral' | 'standby_at' | 'participant_picture_id' | 'updated_at'>>,
): Promise<ConversationRow | null> {
  return (
    (await db
      .updateTable('conversations')
      .set(change)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()) ?? null
  );
}

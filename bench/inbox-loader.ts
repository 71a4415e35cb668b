// Bulk-loads an inbox straight into the database: for each organization, `conversationsPerOrg`
// conversations (half Messenger, half Instagram) of `messagesPerConversation` messages each, spread over
// the last 30 days, with rows shaped as the webhook processor writes them (last message, inbound window,
// unread counts, statuses). SQLite: prepared statements in large transactions on a connection of its
// own (synchronous=OFF for the load only). PostgreSQL: multi-row INSERT … SELECT FROM unnest($arrays)
// (COPY-like, one round trip per 5,000 rows), foreign-key triggers skipped for the load when allowed,
// then VACUUM ANALYZE (which autovacuum would run right after a load this size anyway) and a checkpoint
// (SQLite: the file synced), so the measurement does not pay for the load's writes. One in four
// conversations is resolved and one in five waits for an answer (issue 12); when the organization has
// members, three in five conversations are assigned to one of them at random (the rest unassigned) and
// the assignee wrote its replies (the others are echoes from Meta's apps); the search indexes are
// filled by the database as rows arrive (SQLite FTS5 triggers, PostgreSQL GIN), as in production.
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { fillCopiesSql } from '../src/storage/migrations/0013-conversation-last-message-copy.ts';
import type { BenchDatabase } from './bench-database.ts';

export interface InboxShape {
  conversationsPerOrg: number;
  messagesPerConversation: number;
}

export interface LoadedInbox {
  conversations: number;
  messages: number;
  seconds: number;
  /** Per organization: a sample of conversation ids and (time, id) keys, to address requests at. */
  samples: Map<string, Array<{ id: string; at: number }>>;
}

const CONVERSATION_COLUMNS = [
  'id',
  'org_id',
  'channel',
  'account_id',
  'participant_id',
  'participant_name',
  'profile_checked_at',
  'last_message_id',
  'last_message_at',
  'last_inbound_at',
  'unread_count',
  'delivered_watermark',
  'read_watermark',
  'created_at',
  'updated_at',
  'status',
  'waiting_since',
  'participant_handle',
  'assignee_id',
] as const;
const MESSAGE_COLUMNS = [
  'id',
  'org_id',
  'conversation_id',
  'mid',
  'direction',
  'text',
  'attachments',
  'status',
  'sent_at',
  'meta_at',
  'reaction',
  'deleted_at',
  'sent_by_user_id',
  'error',
  'created_at',
  'updated_at',
] as const;
const BIGINT = new Set([
  'profile_checked_at',
  'last_message_at',
  'last_inbound_at',
  'delivered_watermark',
  'read_watermark',
  'created_at',
  'updated_at',
  'sent_at',
  'meta_at',
  'deleted_at',
  'waiting_since',
]);
const INTEGER = new Set(['unread_count']);

type Row = Record<string, string | number | null>;
const SAMPLE_PER_ORG = 2_000;
const DAY = 24 * 3600_000;

/** Generates one organization's conversations with their messages, in chunks (memory stays flat). */
function* organizationRows(
  org: LoadedOrganization,
  orgIndex: number,
  shape: InboxShape,
  now: number,
): Generator<{ conversation: Row; messages: Row[] }> {
  const igId = `17841${String(orgIndex).padStart(5, '0')}${org.pageId.slice(-7)}`;
  for (let c = 0; c < shape.conversationsPerOrg; c++) {
    const instagram = c % 2 === 1;
    const conversationId = randomUUID();
    const members = org.members ?? [];
    const assignee =
      members.length > 0 && Math.random() < 0.6 ? members[Math.floor(Math.random() * members.length)]! : null;
    let at = now - 30 * DAY + Math.floor(Math.random() * 30 * DAY);
    const messages: Row[] = [];
    let lastInbound: number | null = null;
    for (let m = 0; m < shape.messagesPerConversation; m++) {
      at += 1000 + Math.floor(Math.random() * 60_000);
      const inbound = m % 2 === 0;
      if (inbound) lastInbound = at;
      messages.push({
        id: randomUUID(),
        org_id: org.orgId,
        conversation_id: conversationId,
        mid: `m_${randomUUID()}`,
        direction: inbound ? 'inbound' : 'outbound',
        text: inbound
          ? `Hi! Is the order #${c}-${m} ready for pickup today?`
          : `Yes — it is ready, see you soon (${m}).`,
        attachments: '[]',
        status: 'read',
        sent_at: at,
        meta_at: at,
        reaction: null,
        deleted_at: null,
        sent_by_user_id: inbound ? null : assignee,
        error: null,
        created_at: at,
        updated_at: at,
      });
    }
    const last = messages.at(-1)!;
    yield {
      conversation: {
        id: conversationId,
        org_id: org.orgId,
        channel: instagram ? 'instagram' : 'messenger',
        account_id: instagram ? igId : org.pageId,
        participant_id: `${instagram ? '9' : '7'}${String(orgIndex).padStart(3, '0')}${String(c).padStart(12, '0')}`,
        participant_name: c % 3 === 0 ? null : `Customer ${orgIndex}-${c}`,
        profile_checked_at: now,
        last_message_id: (last.id as string) ?? null,
        last_message_at: last.sent_at as number,
        last_inbound_at: lastInbound,
        unread_count: c % 7 === 0 ? 1 : 0,
        delivered_watermark: last.sent_at as number,
        read_watermark: last.sent_at as number,
        created_at: messages[0]!.sent_at as number,
        updated_at: last.sent_at as number,
        status: c % 4 === 0 ? 'resolved' : 'open',
        waiting_since: c % 5 === 0 ? lastInbound : null,
        participant_handle: instagram ? `customer_${orgIndex}_${c}` : null,
        assignee_id: assignee,
      },
      messages,
    };
  }
}

/** An organization to fill: `members` (user ids) are the possible assignees. */
export interface LoadedOrganization {
  orgId: string;
  pageId: string;
  members?: string[];
}

export async function loadInbox(
  db: BenchDatabase,
  orgs: LoadedOrganization[],
  shape: InboxShape,
): Promise<LoadedInbox> {
  const t0 = performance.now();
  const now = Date.now();
  const samples = new Map<string, Array<{ id: string; at: number }>>();
  const sink =
    db.test.config.kind === 'sqlite' ? sqliteSink(db.test.config.path) : await postgresSink(db.databaseUrl);
  let conversations = 0;
  let messages = 0;
  try {
    for (const [i, org] of orgs.entries()) {
      const sample: Array<{ id: string; at: number }> = [];
      const every = Math.max(1, Math.floor(shape.conversationsPerOrg / SAMPLE_PER_ORG));
      for (const { conversation, messages: rows } of organizationRows(org, i, shape, now)) {
        if (conversations % every === 0)
          sample.push({ id: conversation.id as string, at: conversation.last_message_at as number });
        await sink.add(conversation, rows);
        conversations++;
        messages += rows.length;
      }
      samples.set(org.orgId, sample);
    }
    await sink.finish();
  } finally {
    await sink.close();
  }
  return { conversations, messages, seconds: Math.round((performance.now() - t0) / 100) / 10, samples };
}

/** Conversations whose last message has no copy on their row: the list would show none for them. */
const UNCOPIED_SQL =
  'select count(*) as n from conversations where last_message_id is not null and last_message_copy is null';

function assertCopies(uncopied: number): void {
  if (uncopied > 0) throw new Error(`${uncopied} loaded conversations lack their last message's copy`);
}

interface Sink {
  add(conversation: Row, messages: Row[]): Promise<void>;
  finish(): Promise<void>;
  close(): Promise<void>;
}

function sqliteSink(file: string): Sink {
  const raw = new SQLite(file);
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -262144');
  const insert = (table: string, cols: readonly string[]) =>
    raw.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map((c) => `@${c}`).join(', ')})`);
  const conv = insert('conversations', CONVERSATION_COLUMNS);
  const msg = insert('messages', MESSAGE_COLUMNS);
  let pending: Array<{ conversation: Row; messages: Row[] }> = [];
  const flush = raw.transaction((batch: typeof pending) => {
    for (const b of batch) conv.run(b.conversation);
    for (const b of batch) for (const m of b.messages) msg.run(m);
  });
  return {
    async add(conversation, messages) {
      pending.push({ conversation, messages });
      if (pending.length >= 5_000) {
        flush(pending);
        pending = [];
      }
    },
    async finish() {
      flush(pending);
      pending = [];
      // Here the copies' triggers (migration 0013) ran with every row; check that they did.
      assertCopies(Number((raw.prepare(UNCOPIED_SQL).get() as { n: number }).n));
      raw.pragma('wal_checkpoint(TRUNCATE)');
      // Written with synchronous=OFF, the load sits in the OS's dirty pages; the first commit measured
      // (a session touch) would wait for all of them to reach the disk (hundreds of ms), a cost of
      // the bulk load, not of the app: flushed here, before measuring.
      const fd = openSync(file, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
    async close() {
      raw.close();
    },
  };
}

async function postgresSink(databaseUrl: string): Promise<Sink> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // Foreign keys hold by construction; skipping their triggers keeps the load under two minutes.
  await client.query('set session_replication_role = replica').catch(() => undefined);
  const columnsSql = (cols: readonly string[]) =>
    cols
      .map((c, i) => `$${i + 1}::${BIGINT.has(c) ? 'bigint' : INTEGER.has(c) ? 'integer' : 'text'}[]`)
      .join(', ');
  const insertSql = (table: string, cols: readonly string[]) =>
    `insert into ${table} (${cols.join(', ')}) select * from unnest(${columnsSql(cols)})`;
  const convSql = insertSql('conversations', CONVERSATION_COLUMNS);
  const msgSql = insertSql('messages', MESSAGE_COLUMNS);
  let convs: Row[] = [];
  let msgs: Row[] = [];
  const arrays = (rows: Row[], cols: readonly string[]) => cols.map((c) => rows.map((r) => r[c] ?? null));
  const flush = async () => {
    if (convs.length > 0) await client.query(convSql, arrays(convs, CONVERSATION_COLUMNS));
    for (let i = 0; i < msgs.length; i += 5_000) {
      await client.query(msgSql, arrays(msgs.slice(i, i + 5_000), MESSAGE_COLUMNS));
    }
    convs = [];
    msgs = [];
  };
  return {
    async add(conversation, messages) {
      convs.push(conversation);
      msgs.push(...messages);
      if (convs.length >= 2_000) await flush();
    },
    async finish() {
      await flush();
      // The skipped triggers include those keeping each conversation's copy of its last message and
      // first contact (migration 0013): filled now, as the migration fills rows written before it.
      await client.query('set session_replication_role = origin');
      await client.query(fillCopiesSql(true));
      assertCopies(Number((await client.query(UNCOPIED_SQL)).rows[0].n));
      // What autovacuum would start right after a load this size (insert threshold): done now, so it
      // does not run during the measurement.
      await client.query('vacuum analyze conversations');
      await client.query('vacuum analyze messages');
      // Likewise the checkpoint the load's WAL would soon start (its writes stall commits meanwhile):
      // done now, so the measured requests do not pay for the load.
      await client.query('checkpoint').catch(() => undefined);
    },
    async close() {
      await client.end();
    },
  };
}

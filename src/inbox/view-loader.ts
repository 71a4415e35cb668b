// Rows → views with what the rows alone do not hold: members' display names (assignees, authors), the
// conversation's channel (which app an echo came from), each conversation's last message and the
// messages replied to (quoted). One query per kind of thing, whatever the number of rows. The thread's
// pages and the live events build message views the same way, so a reply pushed live quotes what it
// answers as the thread does after a reload.
import type { Kysely } from 'kysely';
import type { Channel, ConversationView, MessageView } from '../contract.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { displayNames } from './assignment-repository.ts';
import type { ConversationRow } from './conversation-repository.ts';
import * as conversations from './conversation-repository.ts';
import { firstContacts } from './first-contact.ts';
import { toConversationView, toMessageView } from './inbox-views.ts';
import { mentionedIn } from './mentions-repository.ts';
import type { MessageRow } from './message-repository.ts';
import * as messages from './message-repository.ts';

type Db = Kysely<DatabaseSchema>;

export async function conversationViews(db: Db, rows: ConversationRow[]): Promise<ConversationView[]> {
  const ids = rows.map((r) => r.last_message_id).filter((id): id is string => id !== null);
  const last = new Map((await messages.findMessagesByIds(db, ids)).map((m) => [m.id, m]));
  const names = await displayNames(db, [
    ...rows.map((r) => r.assignee_id),
    ...[...last.values()].map((m) => m.sent_by_user_id),
  ]);
  const firsts = await firstContacts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const first = firsts.get(r.id);
    return {
      ...toConversationView(r, r.last_message_id ? (last.get(r.last_message_id) ?? null) : null, names),
      first_contact_at: first === undefined ? null : new Date(first).toISOString(),
    };
  });
}

/** Message views of one conversation (`channel`). */
export async function messageViewsIn(db: Db, channel: Channel, rows: MessageRow[]): Promise<MessageView[]> {
  const { names, mentions } = await peopleOf(db, rows);
  const replied = await repliedTo(db, rows);
  return rows.map((r) => toMessageView(r, { names, channel, mentions }, replied(r)));
}

/** The messages `rows` answer, found by mid in each row's organization: one query per organization. */
async function repliedTo(db: Db, rows: MessageRow[]): Promise<(row: MessageRow) => MessageRow | null> {
  const wanted = new Map<string, string[]>();
  for (const r of rows) {
    const mid = replyMid(r);
    if (mid) wanted.set(r.org_id, [...(wanted.get(r.org_id) ?? []), mid]);
  }
  const found = new Map<string, MessageRow>();
  for (const [orgId, mids] of wanted)
    for (const m of await messages.findByMids(db, orgId, mids)) found.set(`${orgId} ${m.mid}`, m);
  return (row) => {
    const mid = replyMid(row);
    return mid ? (found.get(`${row.org_id} ${mid}`) ?? null) : null;
  };
}

function replyMid(row: MessageRow): string | null {
  if (!row.details?.includes('reply_to_mid')) return null;
  try {
    const mid = (JSON.parse(row.details) as { reply_to_mid?: unknown }).reply_to_mid;
    return typeof mid === 'string' ? mid : null;
  } catch {
    return null;
  }
}

/** Authors' and mentioned members' names, and whom each note mentions. */
async function peopleOf(db: Db, rows: MessageRow[]) {
  const mentions = await mentionedIn(
    db,
    rows.filter((r) => r.kind === 'note').map((r) => r.id),
  );
  const names = await displayNames(db, [
    ...rows.map((r) => r.sent_by_user_id),
    ...[...mentions.values()].flat(),
  ]);
  return { names, mentions };
}

/** Message views of any conversations (live events). */
export async function messageViews(db: Db, rows: MessageRow[]): Promise<MessageView[]> {
  const convs = await conversations.findConversationsByIds(db, [
    ...new Set(rows.map((r) => r.conversation_id)),
  ]);
  const channels = new Map(convs.map((c) => [c.id, c.channel]));
  const { names, mentions } = await peopleOf(db, rows);
  const replied = await repliedTo(db, rows);
  return rows.map((r) =>
    toMessageView(
      r,
      { names, mentions, channel: channels.get(r.conversation_id) ?? 'messenger' },
      replied(r),
    ),
  );
}

export async function messageView(db: Db, row: MessageRow): Promise<MessageView> {
  return (await messageViews(db, [row]))[0]!;
}

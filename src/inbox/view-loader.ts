// Rows → views with what the rows alone do not hold: members' display names (assignees, authors), the
// conversation's channel (which app an echo came from) and each conversation's last message. One query
// per kind of thing, whatever the number of rows.
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

/** Message views of one conversation (`channel`), `replied` giving the messages they answer by mid. */
export async function messageViewsIn(
  db: Db,
  channel: Channel,
  rows: MessageRow[],
  replied: (row: MessageRow) => MessageRow | null = () => null,
): Promise<MessageView[]> {
  const { names, mentions } = await peopleOf(db, rows);
  return rows.map((r) => toMessageView(r, { names, channel, mentions }, replied(r)));
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
  return rows.map((r) =>
    toMessageView(r, { names, mentions, channel: channels.get(r.conversation_id) ?? 'messenger' }),
  );
}

export async function messageView(db: Db, row: MessageRow): Promise<MessageView> {
  return (await messageViews(db, [row]))[0]!;
}

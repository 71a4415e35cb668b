// Turns committed inbox changes into LiveEvents for the organization's open browsers: each created or
// updated message, then each touched conversation as it now reads (unread count, last message).
import type { Kysely } from 'kysely';
import type { LiveBus } from '../live/live-bus.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import * as conversations from './conversation-repository.ts';
import type { InboxChanges } from './inbox-changes.ts';
import { toConversationView, toMessageView } from './inbox-views.ts';
import * as messages from './message-repository.ts';

export async function publishChanges(
  db: Kysely<DatabaseSchema>,
  bus: LiveBus,
  orgId: string,
  changes: InboxChanges,
): Promise<void> {
  // Issued together (one connection keeps their order), not one round trip after another.
  await Promise.all([
    ...[...changes.created.values()].map((row) =>
      bus.publish(orgId, {
        type: 'message.created',
        conversation_id: row.conversation_id,
        message: toMessageView(row),
      }),
    ),
    ...[...changes.updated.values()].map((row) =>
      bus.publish(orgId, {
        type: 'message.updated',
        conversation_id: row.conversation_id,
        message: toMessageView(row),
      }),
    ),
  ]);
  await publishConversations(db, bus, orgId, [...changes.conversations]);
}

export async function publishConversations(
  db: Kysely<DatabaseSchema>,
  bus: LiveBus,
  orgId: string,
  ids: string[],
): Promise<void> {
  const rows = (await conversations.findConversationsByIds(db, ids)).filter((r) => r.org_id === orgId);
  const lastIds = rows.map((r) => r.last_message_id).filter((id): id is string => id !== null);
  const last = new Map((await messages.findMessagesByIds(db, lastIds)).map((m) => [m.id, m]));
  for (const row of rows) {
    const conversation = toConversationView(
      row,
      row.last_message_id ? (last.get(row.last_message_id) ?? null) : null,
    );
    await bus.publish(orgId, { type: 'conversation.updated', conversation });
  }
}

// Turns committed inbox changes into LiveEvents for the organization's open browsers: each created or
// updated message, then each touched conversation as it now reads (unread count, last message).
import type { Kysely } from 'kysely';
import type { ConversationView } from '../contract.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { conversationPageByIds } from './conversation-page.ts';
import type { InboxChanges } from './inbox-changes.ts';
import { messageViews } from './view-loader.ts';

export async function publishChanges(
  db: Kysely<DatabaseSchema>,
  bus: LiveBus,
  orgId: string,
  changes: InboxChanges,
): Promise<void> {
  const created = [...changes.created.values()];
  const updated = [...changes.updated.values()];
  const views = await messageViews(db, [...created, ...updated]);
  // Issued together (one connection keeps their order), not one round trip after another.
  await Promise.all([
    ...created.map((row, i) =>
      bus.publish(orgId, {
        type: 'message.created',
        conversation_id: row.conversation_id,
        message: views[i]!,
      }),
    ),
    ...updated.map((row, i) =>
      bus.publish(orgId, {
        type: 'message.updated',
        conversation_id: row.conversation_id,
        message: views[created.length + i]!,
      }),
    ),
  ]);
  await publishConversations(db, bus, orgId, [...changes.conversations]);
}

/** Publishes each conversation as it reads now (one statement: conversation-page.ts); returns the views. */
export async function publishConversations(
  db: Kysely<DatabaseSchema>,
  bus: LiveBus,
  orgId: string,
  ids: string[],
): Promise<ConversationView[]> {
  const { views } = await conversationPageByIds(db, orgId, ids);
  for (const conversation of views) {
    await bus.publish(orgId, { type: 'conversation.updated', conversation });
  }
  return views;
}

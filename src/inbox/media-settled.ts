// When the media folder has kept (or given up on) a file the inbox asked for, the message that holds
// it is rewritten to point at /api/media/<id> (or to say "no longer available") and browsers hear of
// it; a participant's picture becomes the conversation's avatar.
import type { Kysely } from 'kysely';
import type { LiveBus } from '../live/live-bus.ts';
import type { MediaRow } from '../media/media-repository.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import * as conversations from './conversation-repository.ts';
import { publishConversations } from './inbox-publisher.ts';
import * as messages from './message-repository.ts';
import { applyMediaSettled } from './stored-attachment.ts';
import { messageView } from './view-loader.ts';

export function mediaSettledHandler(d: { db: Kysely<DatabaseSchema>; bus: LiveBus; now: () => number }) {
  return async (media: MediaRow): Promise<void> => {
    if (media.status === 'pending') return;
    const [kind, ownerId] = media.owner.split(':', 2);
    if (!ownerId) return;
    if (kind === 'message') {
      const updated = await d.db.transaction().execute(async (tx) => {
        const found = await messages.findMessage(tx, media.org_id, ownerId);
        if (!found) return null;
        // The conversation's lock before the message's, as the webhook processor takes them (0013);
        // read again under it, so two files of one message settling at once both stay.
        await conversations.lockConversation(tx, found.conversation_id);
        const row = await messages.findMessage(tx, media.org_id, ownerId);
        if (!row) return null;
        const json = applyMediaSettled(row.attachments, {
          ...media,
          status: media.status as 'stored' | 'failed',
        });
        if (json === null) return null;
        return messages.updateMessage(tx, row.id, { attachments: json, updated_at: d.now() });
      });
      if (updated) {
        await d.bus.publish(media.org_id, {
          type: 'message.updated',
          conversation_id: updated.conversation_id,
          message: await messageView(d.db, updated),
        });
      }
      return;
    }
    if (kind === 'conversation' && media.status === 'stored') {
      const row = await conversations.updateConversation(d.db, ownerId, {
        participant_picture_id: media.id,
        updated_at: d.now(),
      });
      if (row) await publishConversations(d.db, d.bus, media.org_id, [row.id]);
    }
  };
}

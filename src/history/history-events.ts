// A conversation from Meta's Conversations API, as the same MessagingEvents a webhook would have made,
// so the inbox applies history and live messages through one path and dedupes them by `mid`: the
// Conversations API's message `id` is the message's mid. Attachments keep Meta's URL for the media
// store to download, like webhook attachments.
import type { Channel } from '../contract.ts';
import type { GraphConversation, GraphConversationMessage } from '../meta/conversations.ts';
import type { AttachmentRef, MessagingEvent } from '../webhooks/webhook-payload.ts';

export function conversationEvents(
  channel: Channel,
  accountId: string,
  conversation: GraphConversation,
): MessagingEvent[] {
  const person = conversation.participants?.data.find((p) => p.id !== accountId);
  if (!person) return [];
  const events: MessagingEvent[] = [];
  for (const m of conversation.messages?.data ?? []) {
    const timestamp = Date.parse(m.created_time);
    if (Number.isNaN(timestamp)) continue;
    const fromUs = m.from?.id === accountId;
    events.push({
      kind: 'message',
      channel,
      accountId,
      participantId: person.id,
      timestamp,
      direction: fromUs ? 'outbound' : 'inbound',
      mid: m.id,
      text: m.message ? m.message : null,
      attachments: attachmentsOf(m),
      metadata: null,
      details: {},
    });
  }
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

function attachmentsOf(m: GraphConversationMessage): AttachmentRef[] {
  return (m.attachments?.data ?? []).map((a) => {
    const mime = a.mime_type ?? '';
    const url = a.image_data?.url ?? a.video_data?.url ?? a.file_url ?? null;
    const type = a.image_data
      ? 'image'
      : a.video_data
        ? 'video'
        : mime.startsWith('audio/')
          ? 'audio'
          : 'file';
    return { type, url, name: a.name ?? null, title: null, link: null, sticker_id: null, coordinates: null };
  });
}

/**
 * The person as the Conversations API gives them: Messenger has a name, Instagram only a username (the
 * handle). The name is not made up from it: a conversation with a name is never looked up again
 * (profile-recheck.ts), so a made-up "@username" would have kept the real name and picture from the
 * lookup of this person's next message, or of one a webhook had already queued.
 */
export function participantOf(
  accountId: string,
  conversation: GraphConversation,
): { id: string; name: string | null; handle: string | null } | null {
  const person = conversation.participants?.data.find((p) => p.id !== accountId);
  if (!person) return null;
  const handle = person.username ?? null;
  const name = person.name ?? null;
  return name || handle ? { id: person.id, name, handle } : null;
}

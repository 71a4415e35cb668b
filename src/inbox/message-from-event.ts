// The message row a webhook message event makes: a message from the person, or an echo of one sent
// from the Page (by Parley or from Meta's own apps). Meta's timestamp is both when it was sent and the
// time receipts are compared against. Each attachment with a file gets a media id at once; the
// download is requested only if the row is really inserted (a redelivery downloads nothing twice).
import type { MediaRequest } from '../media/media-requests.ts';
import { newRowId } from '../storage/row-id.ts';
import { isDownloadable } from '../webhooks/webhook-message-parts.ts';
import type { MessagingEvent } from '../webhooks/webhook-payload.ts';
import type { MessageStatus } from './inbox-tables.ts';
import type { MessageRow } from './message-repository.ts';
import { storedFromRef } from './stored-attachment.ts';

export interface NewMessage {
  row: MessageRow;
  downloads: Array<MediaRequest & { id: string }>;
}

export function messageFromEvent(
  orgId: string,
  conversationId: string,
  event: Extract<MessagingEvent, { kind: 'message' }>,
  status: MessageStatus,
  now: number,
): NewMessage {
  const id = newRowId();
  const downloads: NewMessage['downloads'] = [];
  const attachments = event.attachments.map((ref) => {
    if (!isDownloadable(ref) || ref.url === null) return storedFromRef(ref, null);
    const mediaId = newRowId();
    downloads.push({
      id: mediaId,
      orgId,
      owner: `message:${id}`,
      accountId: event.accountId,
      url: ref.url,
      name: ref.name,
    });
    return storedFromRef(ref, mediaId);
  });
  // No spread for the common case: Node 20 makes object spreads slow (webhook-payload.ts, withBase).
  const details = event.standby ? { ...event.details, standby: true as const } : event.details;
  return {
    row: {
      id,
      org_id: orgId,
      conversation_id: conversationId,
      mid: event.mid,
      direction: event.direction,
      text: event.text,
      attachments: JSON.stringify(attachments),
      details: Object.keys(details).length > 0 ? JSON.stringify(details) : null,
      status,
      sent_at: event.timestamp,
      meta_at: event.timestamp,
      reaction: null,
      deleted_at: null,
      sent_by_user_id: null,
      error: null,
      created_at: now,
      updated_at: now,
      kind: 'message',
    },
    downloads,
  };
}

// The message row a webhook message event makes: a message from the person, or an echo of one sent
// from the Page (by Parley or from Meta's own apps). Meta's timestamp is both when it was sent and the
// time receipts are compared against.
import { randomUUID } from 'node:crypto';
import type { MessagingEvent } from '../webhooks/webhook-payload.ts';
import type { MessageStatus } from './inbox-tables.ts';
import type { MessageRow } from './message-repository.ts';

export function messageFromEvent(
  orgId: string,
  conversationId: string,
  event: Extract<MessagingEvent, { kind: 'message' }>,
  status: MessageStatus,
  now: number,
): MessageRow {
  return {
    id: randomUUID(),
    org_id: orgId,
    conversation_id: conversationId,
    mid: event.mid,
    direction: event.direction,
    text: event.text,
    attachments: JSON.stringify(event.attachments),
    status,
    sent_at: event.timestamp,
    meta_at: event.timestamp,
    reaction: null,
    deleted_at: null,
    sent_by_user_id: null,
    error: null,
    created_at: now,
    updated_at: now,
  };
}

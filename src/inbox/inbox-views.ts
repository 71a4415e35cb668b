// Rows → the API's conversation and message objects (CONTRACT §6). The 24-hour window's end is shown so
// the composer can count down (field lessons row 8).
import { z } from 'zod';
import { attachmentView, type ConversationView, type MessageView } from '../contract.ts';
import type { ConversationsTable, MessagesTable } from './inbox-tables.ts';

export const MESSAGING_WINDOW_MS = 24 * 3600_000;

const storedAttachments = z.array(attachmentView).catch([]);

export function toMessageView(row: MessagesTable): MessageView {
  let attachments: MessageView['attachments'] = [];
  try {
    attachments = storedAttachments.parse(JSON.parse(row.attachments));
  } catch {
    attachments = [];
  }
  return {
    id: row.id,
    mid: row.mid,
    direction: row.direction,
    text: row.deleted_at === null ? row.text : null,
    attachments: row.deleted_at === null ? attachments : [],
    status: row.status,
    sent_at: new Date(row.sent_at).toISOString(),
    reaction: row.reaction,
    deleted: row.deleted_at !== null,
  };
}

export function toConversationView(row: ConversationsTable, last: MessagesTable | null): ConversationView {
  return {
    id: row.id,
    channel: row.channel,
    status: row.status,
    participant: { id: row.participant_id, name: row.participant_name, handle: row.participant_handle },
    last_message: last ? toMessageView(last) : null,
    unread_count: row.unread_count,
    updated_at: new Date(row.last_message_at).toISOString(),
    window_expires_at:
      row.last_inbound_at === null ? null : new Date(row.last_inbound_at + MESSAGING_WINDOW_MS).toISOString(),
    waiting_since: row.waiting_since === null ? null : new Date(row.waiting_since).toISOString(),
  };
}

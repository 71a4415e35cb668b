// The Send API (reference §9): POST /{page_id}/messages with the Page token, for Messenger (PSID) and for
// Instagram through Facebook Login (IGSID). `metadata` carries our own message id, which Meta returns
// in the echo webhook, so the echo is matched to our row instead of stored twice (field lessons row 7).
// The Send API has no idempotency key: a request that may have reached Meta is never resent (R33) — the
// echo reconciles an ambiguous timeout instead.
import { z } from 'zod';
import type { GraphClient } from './graph-client.ts';

export interface OutgoingText {
  pageId: string;
  pageToken: string;
  recipientId: string;
  text: string;
  metadata: string;
  /** `HUMAN_AGENT`: a person answering 24 h–7 days after the customer's last message. */
  tag?: 'HUMAN_AGENT' | null;
}

/** A file Meta fetches from `url` (a short-lived signed Parley link) and delivers. */
export interface OutgoingAttachment extends Omit<OutgoingText, 'text'> {
  attachment: { type: 'image' | 'video' | 'audio' | 'file'; url: string };
}

const sendResult = z.object({ recipient_id: z.string().optional(), message_id: z.string().min(1) });

export async function sendTextMessage(
  client: GraphClient,
  msg: OutgoingText,
): Promise<{ messageId: string }> {
  return send(client, msg, { text: msg.text, metadata: msg.metadata });
}

export async function sendAttachmentMessage(
  client: GraphClient,
  msg: OutgoingAttachment,
): Promise<{ messageId: string }> {
  const { type, url } = msg.attachment;
  return send(client, msg, {
    attachment: { type, payload: { url, is_reusable: false } },
    metadata: msg.metadata,
  });
}

async function send(
  client: GraphClient,
  msg: Omit<OutgoingText, 'text' | 'metadata'>,
  message: Record<string, unknown>,
): Promise<{ messageId: string }> {
  const result = await client.request({
    method: 'POST',
    path: `${msg.pageId}/messages`,
    params: {
      ...(msg.tag ? { messaging_type: 'MESSAGE_TAG', tag: msg.tag } : { messaging_type: 'RESPONSE' }),
      recipient: JSON.stringify({ id: msg.recipientId }),
      message: JSON.stringify(message),
    },
    token: msg.pageToken,
    pageId: msg.pageId,
    endpoint: 'send',
    schema: sendResult,
    retry: 'connect-only',
  });
  return { messageId: result.message_id };
}

/** Meta's "outside the allowed window" refusals: Messenger 10/2018278, Instagram 10/2534022. */
export const WINDOW_SUBCODES = new Set([2018278, 2534022]);

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
}

const sendResult = z.object({ recipient_id: z.string().optional(), message_id: z.string().min(1) });

export async function sendTextMessage(
  client: GraphClient,
  msg: OutgoingText,
): Promise<{ messageId: string }> {
  const result = await client.request({
    method: 'POST',
    path: `${msg.pageId}/messages`,
    params: {
      messaging_type: 'RESPONSE',
      recipient: JSON.stringify({ id: msg.recipientId }),
      message: JSON.stringify({ text: msg.text, metadata: msg.metadata }),
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

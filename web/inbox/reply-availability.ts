// Whether the agent can reply now, and if not why (and what to do about it). The server decides for real
// when the message is sent; this only spares the agent typing a reply Meta will refuse.
import type { ConnectionStatusResponse, ConversationView } from '../api/contract.ts';

export type ReplyAvailability =
  | { state: 'not_connected' }
  | { state: 'reauth_required' }
  /** The person never wrote (e.g. the conversation started from the Page's own inbox). */
  | { state: 'no_window' }
  | { state: 'window_closed'; closedAt: string }
  | { state: 'open'; closesAt: string; msLeft: number }
  /** The window is unknown (the conversation is still loading): let the server judge. */
  | { state: 'unknown' };

/**
 * `connection` is null while it loads or when it could not be read; then only the window is checked, and
 * the server answers for the connection.
 */
export function replyAvailability(
  connection: ConnectionStatusResponse | null,
  conversation: ConversationView | undefined,
  now: number,
): ReplyAvailability {
  if (connection && !connection.connected) return { state: 'not_connected' };
  if (connection?.connected && connection.connection.status === 'reauth_required') {
    return { state: 'reauth_required' };
  }
  if (!conversation) return { state: 'unknown' };
  const closesAt = conversation.window_expires_at;
  if (!closesAt) return { state: 'no_window' };
  const msLeft = Date.parse(closesAt) - now;
  if (msLeft <= 0) return { state: 'window_closed', closedAt: closesAt };
  return { state: 'open', closesAt, msLeft };
}

export function canReply(availability: ReplyAvailability): boolean {
  return availability.state === 'open' || availability.state === 'unknown';
}

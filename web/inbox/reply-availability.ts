// Whether the agent can reply now, and if not why (and what to do about it). The server decides for real
// when the message is sent; this only spares the agent typing a reply Meta will refuse.
import type { ConnectionStatusResponse, ConversationView } from '../api/contract.ts';
import type { Resource } from '../api/use-api.ts';

export type ReplyAvailability =
  /** The connection's state is still loading: a reply could be refused, so none is sent yet. */
  | { state: 'checking' }
  | { state: 'not_connected' }
  | { state: 'reauth_required' }
  /** The person never wrote (e.g. the conversation started from the Page's own inbox). */
  | { state: 'no_window' }
  | { state: 'window_closed'; closedAt: string }
  | { state: 'open'; closesAt: string; msLeft: number }
  /** Past 24 hours but within 7 days, with the Human Agent feature: sent tagged HUMAN_AGENT. */
  | { state: 'human_agent'; closesAt: string; msLeft: number }
  /** The window is unknown (the conversation is still loading): let the server judge. */
  | { state: 'unknown' };

const SIX_DAYS = 6 * 24 * 3_600_000;

/**
 * While `connection` loads nothing can be sent: for that moment a reply could go to a Page that was
 * disconnected or whose access Meta revoked. When it could not be read, only the window is checked, and
 * the server answers for the connection.
 */
export function replyAvailability(
  connection: Resource<ConnectionStatusResponse>,
  conversation: ConversationView | undefined,
  now: number,
  humanAgent = false,
): ReplyAvailability {
  if (connection.status === 'loading') return { state: 'checking' };
  if (connection.status === 'ready') {
    const known = connection.data;
    if (!known.connected) return { state: 'not_connected' };
    if (known.connection.status === 'reauth_required') return { state: 'reauth_required' };
  }
  if (!conversation) return { state: 'unknown' };
  const closesAt = conversation.window_expires_at;
  if (!closesAt) return { state: 'no_window' };
  const msLeft = Date.parse(closesAt) - now;
  if (msLeft <= 0 && humanAgent) {
    // The Human Agent window: 7 days from the customer's last message, 6 days after the standard one.
    const humanCloses = Date.parse(closesAt) + SIX_DAYS;
    if (humanCloses > now)
      return {
        state: 'human_agent',
        closesAt: new Date(humanCloses).toISOString(),
        msLeft: humanCloses - now,
      };
    return { state: 'window_closed', closedAt: new Date(humanCloses).toISOString() };
  }
  if (msLeft <= 0) return { state: 'window_closed', closedAt: closesAt };
  return { state: 'open', closesAt, msLeft };
}

export function canReply(availability: ReplyAvailability): boolean {
  return (
    availability.state === 'open' || availability.state === 'human_agent' || availability.state === 'unknown'
  );
}

// Whether a live event deserves a desktop notification (issue 12 item 9), kept pure so the rules are
// tested without a browser: a new customer message in a conversation that is mine or nobody's, and a
// note mentioning me. Never my own messages or notes, never notes without a mention of me, never
// receipts, edits or status changes. Whether one is actually shown also depends on the member having
// turned them on, the browser's permission and the tab being hidden (mayShowNotification).
import type { ConversationView, LiveEvent, MessageView } from '../api/contract.ts';

export interface NotificationSpec {
  title: string;
  body: string;
  conversationId: string;
  /** Same tag, same notification: a second message of one conversation replaces the first. */
  tag: string;
}

const who = (conversation: ConversationView) =>
  conversation.participant.name ?? conversation.participant.handle ?? 'A customer';

function describe(message: MessageView): string {
  if (message.text) return message.text.length > 140 ? `${message.text.slice(0, 139)}…` : message.text;
  return message.attachments.length > 0 ? 'Sent an attachment' : 'New message';
}

/**
 * A new message, judged with its conversation as the server published it right after
 * (`message.created` then `conversation.updated`).
 */
export function messageNotification(
  message: MessageView,
  conversation: ConversationView,
  me: string,
): NotificationSpec | null {
  if (message.direction !== 'inbound' || message.kind === 'note') return null;
  if (conversation.assignee !== null && conversation.assignee.id !== me) return null;
  return {
    title: who(conversation),
    body: describe(message),
    conversationId: conversation.id,
    tag: `conversation-${conversation.id}`,
  };
}

/** A mention event: only one addressed to me, by someone else. */
export function mentionNotification(event: LiveEvent, me: string): NotificationSpec | null {
  if (event.type !== 'mention' || event.recipient_id !== me || event.by.id === me) return null;
  return {
    title: `${event.by.name} mentioned you`,
    body: event.snippet,
    conversationId: event.conversation_id,
    tag: `mention-${event.message_id}`,
  };
}

export function mayShowNotification(state: {
  enabled: boolean;
  permission: NotificationPermission | 'unsupported';
  hidden: boolean;
}): boolean {
  return state.enabled && state.permission === 'granted' && state.hidden;
}

import type {
  ActivityEntryView,
  ConnectionView,
  ConversationsResponse,
  ConversationView,
  MemberView,
  MessagesResponse,
  MessageView,
  PendingPagesResponse,
  PendingPageView,
  Role,
  SessionView,
} from '../api/contract.ts';
import { json } from './fetch-stub.ts';

export function session(role: Role = 'owner'): SessionView {
  return {
    user: { id: 'u1', email: 'ada@example.com', name: null, two_factor_enabled: false },
    organization: { id: 'o1', name: 'Acme Support', require_two_factor: false },
    role,
  };
}

export function member(overrides: Partial<MemberView> = {}): MemberView {
  return { user_id: 'u1', email: 'ada@example.com', name: null, role: 'owner', ...overrides };
}

export function connection(overrides: Partial<ConnectionView> = {}): ConnectionView {
  return {
    facebook_page_id: '1001',
    facebook_page_name: 'Acme Shoes',
    instagram_business_account_id: '17841400000000001',
    instagram_username: 'acmeshoes',
    status: 'active',
    status_reason: null,
    webhooks: { page: 'subscribed', app_page: 'subscribed', app_instagram: 'subscribed' },
    connected_at: '2026-03-05T12:00:00.000Z',
    connected_by: { user_id: 'u1', email: 'ada@example.com' },
    last_webhook_at: null,
    last_health_check_at: null,
    data_access_expires_at: null,
    ...overrides,
  };
}

export function pendingPage(overrides: Partial<PendingPageView> = {}): PendingPageView {
  return {
    id: '1001',
    name: 'Acme Shoes',
    instagram_business_account_id: '17841400000000001',
    instagram_username: 'acmeshoes',
    available: true,
    unavailable_reason: null,
    ...overrides,
  };
}

export function pendingPages(pages: PendingPageView[]): PendingPagesResponse {
  return { pages, expires_at: '2026-03-05T12:05:00.000Z', dropped_pages: [] };
}

/** `count` available Pages named "Page 1" … "Page N", ids 2001…. */
export function manyPages(count: number): PendingPageView[] {
  return Array.from({ length: count }, (_, i) =>
    pendingPage({
      id: String(2001 + i),
      name: `Page ${i + 1}`,
      instagram_username: null,
      instagram_business_account_id: null,
    }),
  );
}

// ---- inbox ----

/**
 * The routes /inbox calls on arrival, answering "no conversations yet"; for an owner or admin the frame's
 * health banner also reads the Meta connection (here: not connected, so no banner).
 */
export const emptyInbox = {
  'GET /api/conversations': () => json(200, conversationsPage([])),
  'GET /api/integrations/meta': () => json(200, { connected: false }),
};

// ---- the Meta connection's activity ----

export function activityEntry(overrides: Partial<ActivityEntryView> = {}): ActivityEntryView {
  return {
    id: 'e1',
    kind: 'connected',
    actor: 'ada@example.com',
    page_id: '1001',
    detail: 'Acme Shoes and @acmeshoes',
    at: minutesAgo(5),
    ...overrides,
  };
}

/** GET /api/integrations/meta/activity, which Settings → Integrations reads for owners and admins. */
export function activityRoute(events: ActivityEntryView[] = []) {
  return { 'GET /api/integrations/meta/activity': () => json(200, { events }) };
}

export function conversationsPage(
  conversations: ConversationView[],
  nextCursor: string | null = null,
): ConversationsResponse {
  return { conversations, next_cursor: nextCursor };
}

export function messagesPage(messages: MessageView[], nextCursor: string | null = null): MessagesResponse {
  return { messages, next_cursor: nextCursor };
}

/** `minutesAgo` minutes before now, as the API writes times. */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

export function message(overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: 'm1',
    mid: 'mid.1',
    direction: 'inbound',
    text: 'Hello',
    attachments: [],
    status: 'received',
    sent_at: minutesAgo(10),
    ...overrides,
  };
}

/** A Messenger conversation with Jane Doe whose last message came 10 minutes ago (window open). */
export function conversation(overrides: Partial<ConversationView> = {}): ConversationView {
  const lastMessage = overrides.last_message === undefined ? message() : overrides.last_message;
  const updatedAt = lastMessage?.sent_at ?? minutesAgo(10);
  return {
    id: 'c1',
    channel: 'messenger',
    status: 'open',
    assignee: null,
    participant: { id: '24000000000001234', name: 'Jane Doe', handle: null },
    last_message: lastMessage,
    unread_count: 0,
    updated_at: updatedAt,
    window_expires_at: new Date(Date.parse(updatedAt) + 24 * 3_600_000).toISOString(),
    waiting_since: null,
    ...overrides,
  };
}

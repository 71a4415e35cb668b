// The request and response shapes of every /api endpoint (CONTRACT.md §3, §4, §6).
// The server validates with these schemas and publishes them as OpenAPI; web/ imports only the
// inferred types (`import type`), so zod never reaches the browser bundle.
// Kept as one file past 300 lines on purpose: it is the single boundary web/ is allowed to import
// (STYLE.md), and shapes reuse each other across sections (messageView inside conversationView).
import { z } from 'zod';

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof errorBody>;

// ---- accounts (§3) ----
export const role = z.enum(['owner', 'admin', 'agent']);
export type Role = z.infer<typeof role>;

const email = z.string().trim().toLowerCase().pipe(z.email().max(254));
const password = z.string().min(10, 'password must be at least 10 characters').max(200);

export const signupRequest = z.object({
  email,
  password,
  organization_name: z.string().trim().min(1).max(120),
});
export const loginRequest = z.object({ email, password: z.string().min(1).max(200) });

export const userView = z.object({
  id: z.string(),
  email: z.string(),
  /** Display name; null until the member chooses one (teammates then see the email). */
  name: z.string().nullable(),
  two_factor_enabled: z.boolean(),
});
export const organizationView = z.object({
  id: z.string(),
  name: z.string(),
  /** Owners made two-factor sign-in mandatory for every member. */
  require_two_factor: z.boolean(),
});
export const sessionView = z.object({ user: userView, organization: organizationView, role });
export type SessionView = z.infer<typeof sessionView>;
/** Login with two-factor on: the password was right, now `POST /api/auth/login/two-factor`. */
export const twoFactorChallengeView = z.object({
  two_factor_required: z.literal(true),
  challenge: z.string(),
});
export const loginResponse = z.union([sessionView, twoFactorChallengeView]);
export type LoginResponse = z.infer<typeof loginResponse>;
export const twoFactorLoginRequest = z.object({
  challenge: z.string().min(1).max(200),
  code: z.string().trim().min(1, 'enter the code').max(40),
});

export const addMemberRequest = z.object({ email, password, role: z.enum(['admin', 'agent']) });
export const memberView = z.object({
  user_id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role,
});
export const membersResponse = z.object({ members: z.array(memberView) });
export type MemberView = z.infer<typeof memberView>;

// ---- teams and accounts (§3, issue 14) ----
const displayName = z.string().trim().min(1, 'enter a name').max(80, 'use at most 80 characters');
const invitedRole = z.enum(['admin', 'agent']);
export const updateMeRequest = z.object({ name: displayName });
export const changePasswordRequest = z.object({
  current_password: z.string().min(1).max(200),
  new_password: password,
});
export const inviteRequest = z.object({ email, role: invitedRole });
export const invitationView = z.object({
  id: z.string(),
  email: z.string(),
  role: invitedRole,
  expires_at: z.string(),
});
export type InvitationView = z.infer<typeof invitationView>;
export const invitationCreatedResponse = z.object({ invitation: invitationView.extend({ url: z.string() }) });
export const invitationsResponse = z.object({ invitations: z.array(invitationView) });
export const invitationPreview = z.object({
  organization: z.object({ name: z.string() }),
  email: z.string(),
  role: invitedRole,
});
export type InvitationPreview = z.infer<typeof invitationPreview>;
export const acceptInvitationRequest = z.object({ name: displayName, password });
export const changeRoleRequest = z.object({ role });
export const memberResponse = z.object({ member: memberView });
export const resetLinkResponse = z.object({ url: z.string(), expires_at: z.string(), emailed: z.boolean() });
export const passwordResetRequest = z.object({ token: z.string().min(1).max(200), new_password: password });
export const forgotPasswordRequest = z.object({ email });
export const userIdParams = z.object({ user_id: z.string().min(1).max(64) });
export const idParams = z.object({ id: z.string().min(1).max(128) });
export const tokenParams = z.object({ token: z.string().min(1).max(200) });

export const twoFactorSetupResponse = z.object({
  /** Base32, for "can't scan? enter this key". */
  secret: z.string(),
  otpauth_url: z.string(),
  /** The otpauth URL as an SVG QR code (a data: URL). */
  qr_code: z.string(),
});
export const twoFactorEnableRequest = z.object({ code: z.string().trim().min(1, 'enter the code').max(20) });
export const recoveryCodesResponse = z.object({ recovery_codes: z.array(z.string()) });
export const twoFactorDisableRequest = z.object({ password: z.string().min(1).max(200) });
export const organizationSettingsRequest = z.object({ require_two_factor: z.boolean() });
export const organizationResponse = z.object({ organization: organizationView });

export const accountSessionView = z.object({
  id: z.string(),
  device: z.string(),
  address: z.string().nullable(),
  created_at: z.string(),
  last_seen_at: z.string(),
  current: z.boolean(),
});
export type AccountSessionView = z.infer<typeof accountSessionView>;
export const accountSessionsResponse = z.object({ sessions: z.array(accountSessionView) });

// ---- the Meta connection (§4) ----
export const webhookState = z.enum(['subscribed', 'failed', 'pending']);
export const connectionStatus = z.enum(['active', 'needs_attention', 'reauth_required']);
export type ConnectionStatus = z.infer<typeof connectionStatus>;

export const connectionView = z.object({
  facebook_page_id: z.string(),
  facebook_page_name: z.string(),
  instagram_business_account_id: z.string().nullable(),
  instagram_username: z.string().nullable(),
  status: connectionStatus,
  status_reason: z.string().nullable(),
  webhooks: z.object({ page: webhookState, app_page: webhookState, app_instagram: webhookState }),
  connected_at: z.string(),
  connected_by: z.object({ user_id: z.string(), email: z.string() }),
  last_webhook_at: z.string().nullable(),
  last_health_check_at: z.string().nullable(),
  /** When Meta's data access for the connecting user ends (90 days after their last login). */
  data_access_expires_at: z.string().nullable(),
});
export type ConnectionView = z.infer<typeof connectionView>;

export const connectionStatusResponse = z.union([
  z.object({ connected: z.literal(false) }),
  z.object({ connected: z.literal(true), connection: connectionView }),
]);
export type ConnectionStatusResponse = z.infer<typeof connectionStatusResponse>;

export const oauthUrlResponse = z.object({ url: z.string() });

export const unavailableReason = z.enum(['connected_to_another_organization', 'missing_messaging_task']);
export const pendingPageView = z.object({
  id: z.string(),
  name: z.string(),
  instagram_business_account_id: z.string().nullable(),
  instagram_username: z.string().nullable(),
  available: z.boolean(),
  unavailable_reason: unavailableReason.nullable(),
});
export type PendingPageView = z.infer<typeof pendingPageView>;
/** Pages this Facebook user connected earlier (in any organization) that the new grant no longer includes. */
export const droppedPageView = z.object({ id: z.string(), name: z.string(), same_organization: z.boolean() });
export const pendingPagesResponse = z.object({
  pages: z.array(pendingPageView),
  expires_at: z.string(),
  dropped_pages: z.array(droppedPageView),
});
export type PendingPagesResponse = z.infer<typeof pendingPagesResponse>;

export const selectPageRequest = z.object({
  page_id: z.string().regex(/^\d{1,32}$/, 'page_id must be numeric'),
});
export const connectionResponse = z.object({ connection: connectionView });
export const disconnectResponse = z.object({ disconnected: z.boolean() });

export const activityKind = z.enum([
  'connected',
  'reconnected',
  'page_chosen',
  'subscribed',
  'subscription_failed',
  'token_rejected',
  'permission_missing',
  'instagram_refreshed',
  'health_restored',
  'disconnected',
  'deauthorized',
  'deletion_request',
]);
export const activityEntryView = z.object({
  id: z.string(),
  kind: activityKind,
  /** A member's email, "Meta" or "Parley". */
  actor: z.string(),
  page_id: z.string().nullable(),
  detail: z.string().nullable(),
  at: z.string(),
});
export type ActivityEntryView = z.infer<typeof activityEntryView>;
export const activityResponse = z.object({ events: z.array(activityEntryView) });

/** Every `meta_error` the OAuth callback can redirect with (CONTRACT §4). */
export const metaErrorCodes = [
  'no_pages',
  'access_denied',
  'invalid_state',
  'token_exchange_failed',
  'pages_fetch_failed',
  'page_already_connected',
  'webhook_subscription_failed',
] as const;
/** `meta_warning` on the picker redirect: the new grant dropped a Page this Facebook user connected. */
export const metaWarningCodes = ['grant_shrink'] as const;
export type MetaErrorCode = (typeof metaErrorCodes)[number];

// ---- inbox (§6) ----
export const channel = z.enum(['messenger', 'instagram']);
export type Channel = z.infer<typeof channel>;

/**
 * CONTRACT §6 media: `url` is a Parley URL (`/api/media/<id>`) once the file is stored, else null with
 * `status: "pending"` (being downloaded) or `"unavailable"` (Meta's copy could not be fetched, for
 * good). Attachments with nothing to download (location, a shared link, a template) have url null and
 * no status. `title`, `link`, `sticker` and `location` describe what is not a file.
 */
export const attachmentView = z.object({
  type: z.string(),
  url: z.string().nullable(),
  mime_type: z.string().nullable(),
  size: z.number().int().nullable(),
  name: z.string().nullable(),
  status: z.enum(['pending', 'unavailable']).optional(),
  title: z.string().nullable().optional(),
  link: z.string().nullable().optional(),
  sticker: z.boolean().optional(),
  location: z.object({ lat: z.number(), long: z.number() }).nullable().optional(),
});
export type AttachmentView = z.infer<typeof attachmentView>;
/** Where a conversation came from (Meta's `referral`: an ad, an m.me / ig.me link). */
export const referralView = z.object({
  source: z.string().nullable(),
  type: z.string().nullable(),
  ref: z.string().nullable(),
  ad_id: z.string().nullable(),
  ad_title: z.string().nullable(),
});
export type ReferralView = z.infer<typeof referralView>;
/** A member (`{id, name}`), or for an echo sent outside Parley the app (`{id: null, name}`). */
export const personView = z.object({ id: z.string().nullable(), name: z.string() });
export type PersonView = z.infer<typeof personView>;
export const messageStatus = z.enum(['received', 'pending', 'sent', 'delivered', 'read', 'failed']);
export const messageView = z.object({
  id: z.string(),
  mid: z.string().nullable(),
  direction: z.enum(['inbound', 'outbound']),
  text: z.string().nullable(),
  attachments: z.array(attachmentView),
  status: messageStatus,
  sent_at: z.string(),
  /** The person's reaction to this message (an emoji), when they reacted. */
  reaction: z.string().nullable().optional(),
  /** The person unsent it: text and attachments are gone. */
  deleted: z.boolean().optional(),
  /** A reply to another message of the thread (its text when Parley has it). */
  reply_to: z.object({ mid: z.string(), text: z.string().nullable() }).nullable().optional(),
  /** The payload of the quick reply or button the person tapped. */
  payload: z.string().nullable().optional(),
  /** How many times the person edited it (Meta's `message_edits`); the text is the latest. */
  edit_count: z.number().int().optional(),
  /** Meta could not show Parley this message (`is_unsupported`): read it in Meta's apps. */
  unsupported: z.boolean().optional(),
  /** It arrived while another app owned the thread (`standby`). */
  standby: z.boolean().optional(),
  /** This message came from an ad or a link (`referral`). */
  referral: referralView.nullable().optional(),
  /** Who wrote it: a member, Meta's app for an echo sent outside Parley, null for the customer. */
  author: personView.nullable().optional(),
  /** Why a reply is `failed`: the words its sender was answered with (absent otherwise). */
  failure_reason: z.string().optional(),
  /** `note`: an internal note by a member, never sent to Meta. Always present in the server's answers. */
  kind: z.enum(['message', 'note']).optional(),
  /** A note's @mentioned members (`{id, name}`), so the thread can highlight them. */
  mentions: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
});
export type MessageView = z.infer<typeof messageView>;

export const conversationStatus = z.enum(['open', 'resolved']);
export type ConversationStatus = z.infer<typeof conversationStatus>;

/** A search hit's newest matching message (`null` when only the name or handle matched). */
export const searchMatch = z.object({ message_id: z.string(), snippet: z.string() }).nullable();
export type SearchMatch = z.infer<typeof searchMatch>;

export const conversationView = z.object({
  id: z.string(),
  channel,
  status: conversationStatus,
  /** The member who owns it, or null. */
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  participant: z.object({
    id: z.string(),
    name: z.string().nullable(),
    /** Instagram username, or null. */
    handle: z.string().nullable(),
    /** The person's picture, a Parley URL once kept (CONTRACT §6), else null. */
    avatar_url: z.string().nullable().optional(),
  }),
  last_message: messageView.nullable(),
  unread_count: z.number().int(),
  updated_at: z.string(),
  window_expires_at: z.string().nullable(),
  /** Since when the person has waited for an answer (their oldest unanswered message); null if answered. */
  waiting_since: z.string().nullable(),
  /** Only in search results (`q`). */
  match: searchMatch.optional(),
  /** Where the conversation came from: an ad, an m.me / ig.me link (Meta's first `referral`). */
  referral: referralView.nullable().optional(),
  /** Another app owns the thread (events arrive under `standby`): replies may not reach the person. */
  handled_by_another_app: z.boolean().optional(),
  /** When the conversation's first message was sent (the customer panel's "first contact"). */
  first_contact_at: z.string().nullable().optional(),
});
export type ConversationView = z.infer<typeof conversationView>;

/** `recent`: newest activity first (default). `waiting`: oldest unanswered first, then the answered. */
export const conversationSort = z.enum(['recent', 'waiting']);
export type ConversationSort = z.infer<typeof conversationSort>;
export const conversationStatusFilter = z.enum(['open', 'resolved', 'all']);
export type ConversationStatusFilter = z.infer<typeof conversationStatusFilter>;

export const conversationsQuery = z.object({
  channel: channel.optional(),
  status: conversationStatusFilter.default('open'),
  sort: conversationSort.default('recent'),
  q: z.string().max(200).optional(),
  /** `me`, `unassigned`, or a member's id. */
  assignee: z.string().min(1).max(100).optional(),
  cursor: z.string().max(200).optional(),
});
/** GET /api/conversations/counts: open conversations assigned to the caller, and to nobody. */
export const conversationCountsResponse = z.object({
  mine: z.number().int(),
  unassigned: z.number().int(),
});
export type ConversationCounts = z.infer<typeof conversationCountsResponse>;
export const conversationsResponse = z.object({
  conversations: z.array(conversationView),
  next_cursor: z.string().nullable(),
});
export const messagesQuery = z.object({ cursor: z.string().max(200).optional() });
export const messagesResponse = z.object({
  messages: z.array(messageView),
  next_cursor: z.string().nullable(),
});
/**
 * Meta's text limits per channel, counted in UTF-16 code units (JavaScript's `length`), which is never
 * fewer than the characters Meta counts. Longer text is refused (422 `text_too_long`), never cut.
 */
export const TEXT_LIMITS: Record<Channel, number> = { messenger: 2000, instagram: 1000 };
// The schema's bound only keeps bodies small; the channel's limit is a rule checked by the reply service.
export const sendMessageRequest = z.object({ text: z.string().trim().min(1).max(20_000) });
export const sendMessageResponse = z.object({ message: messageView });

/**
 * PATCH /api/conversations/:id → 200 {conversation}. Each field is optional; `assignee_id` names a member
 * of the organization (422 `not_a_member` otherwise) or null for nobody.
 */
export const updateConversationRequest = z.object({
  status: conversationStatus.optional(),
  assignee_id: z.string().max(100).nullable().optional(),
});
export const updateConversationResponse = z.object({ conversation: conversationView });
/** GET /api/integrations/meta/history: the import of past conversations started at connect. */
export const historyImportView = z.object({
  platform: channel,
  state: z.enum(['running', 'done', 'failed']),
  conversations_done: z.number().int(),
  messages_imported: z.number().int(),
  /** HISTORY_IMPORT_DAYS at the time. */
  days: z.number().int(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  error: z.string().nullable(),
});
export const historyStatusResponse = z.object({ imports: z.array(historyImportView) });
export type HistoryStatusResponse = z.infer<typeof historyStatusResponse>;

/** GET /api/inbox/settings: what the composer needs to know of the deployment. */
export const inboxSettingsResponse = z.object({
  /** META_HUMAN_AGENT: replies 24 h–7 days after the person's last message go out tagged HUMAN_AGENT. */
  human_agent: z.boolean(),
});
export type InboxSettingsResponse = z.infer<typeof inboxSettingsResponse>;

// ---- saved replies (issue 12 item 8; CONTRACT is silent, so README "Saved replies" documents them) ----
/** A saved reply: what an agent inserts by typing `/` in the composer. */
export const savedReplyView = z.object({
  id: z.string(),
  /** 1–80 characters, unique per organization regardless of case. */
  title: z.string(),
  /** 1–2,000 characters (Messenger's limit). */
  text: z.string(),
  updated_at: z.string(),
});
export type SavedReplyView = z.infer<typeof savedReplyView>;
/** `q`: only those whose title or text contains it (case- and accent-insensitive). */
export const savedRepliesQuery = z.object({ q: z.string().max(200).optional() });
export const savedRepliesResponse = z.object({ saved_replies: z.array(savedReplyView) });
// The bounds here only keep bodies small; the lengths are rules of the service (422 invalid_title,
// invalid_text), like the channel's text limit.
const savedReplyTitle = z.string().max(1000);
const savedReplyText = z.string().max(20_000);
export const createSavedReplyRequest = z.object({ title: savedReplyTitle, text: savedReplyText });
export const updateSavedReplyRequest = z
  .object({ title: savedReplyTitle.optional(), text: savedReplyText.optional() })
  .refine((body) => body.title !== undefined || body.text !== undefined, 'send a title, a text or both');
export const savedReplyResponse = z.object({ saved_reply: savedReplyView });

/** POST /api/conversations/:id/read → 200 {conversation}: marks every inbound message as read. */
export const markReadResponse = z.object({ conversation: conversationView });

/** What a member is doing in a conversation (CONTRACT §6 presence); `left` ends it at once. */
export const presenceState = z.enum(['viewing', 'typing', 'left']);
export type PresenceState = z.infer<typeof presenceState>;
/** POST /api/conversations/:id/presence → 204. */
export const presenceRequest = z.object({ state: presenceState });
/** GET /api/conversations/:id/presence: the members there now (never the caller), oldest arrival first. */
export const presenceResponse = z.object({
  members: z.array(
    z.object({
      user: z.object({ id: z.string(), name: z.string() }),
      state: z.enum(['viewing', 'typing']),
      since: z.string(),
    }),
  ),
});
export type PresenceResponse = z.infer<typeof presenceResponse>;

/**
 * GET /api/events (text/event-stream): live updates for the caller's organization. Each SSE message
 * has `event:` set to the `type` below and `data:` the JSON of the whole object.
 */
export type LiveEvent =
  | { type: 'message.created'; conversation_id: string; message: MessageView }
  | { type: 'message.updated'; conversation_id: string; message: MessageView }
  | { type: 'conversation.updated'; conversation: ConversationView }
  | {
      type: 'presence';
      conversation_id: string;
      user: { id: string; name: string };
      state: PresenceState;
    }
  | { type: 'connection.updated' }
  | MentionEvent
  | MentionsReadEvent;

// ---- Internal notes and @mentions (issue 12 item 4; CONTRACT §6) ----

/**
 * POST /api/conversations/:id/notes → 201 {message} with `kind: "note"`. The schema's bound only keeps
 * bodies small; the note service refuses empty text (422 `text_empty`) and more than NOTE_MAX_LENGTH
 * characters (422 `text_too_long`).
 */
export const NOTE_MAX_LENGTH = 5000;
export const createNoteRequest = z.object({ text: z.string().max(20_000) });
export const createNoteResponse = z.object({ message: messageView });

/** One time a member was @mentioned in a note. */
export const mentionView = z.object({
  conversation_id: z.string(),
  message_id: z.string(),
  /** Who wrote the note. */
  by: personView,
  /** The note's text, shortened. */
  snippet: z.string(),
  created_at: z.string(),
});
export type MentionView = z.infer<typeof mentionView>;
/** GET /api/mentions: the caller's unread mentions, newest first (at most 50), and how many there are. */
export const mentionsResponse = z.object({ mentions: z.array(mentionView), unread_count: z.number().int() });
export type MentionsResponse = z.infer<typeof mentionsResponse>;
/** POST /api/conversations/:id/mentions/read → 200: the caller's mentions in it are read. */
export const mentionsReadResponse = z.object({ unread_count: z.number().int() });
/** GET /api/inbox/unread: conversations with unread customer messages, and the caller's unread mentions. */
export const unreadSummaryResponse = z.object({
  conversations: z.number().int(),
  mentions: z.number().int(),
});
export type UnreadSummary = z.infer<typeof unreadSummaryResponse>;
/** Live: a note mentioned `recipient_id`; only that member's streams receive it. */
export type MentionEvent = { type: 'mention'; recipient_id: string } & MentionView;
/**
 * Live: `recipient_id` read their mentions in a conversation (opened it, in some tab or on some device);
 * only that member's streams receive it, so every tab's "@ N" follows.
 */
export type MentionsReadEvent = {
  type: 'mentions.read';
  recipient_id: string;
  conversation_id: string;
  unread_count: number;
};

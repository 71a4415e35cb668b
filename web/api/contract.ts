// The API types web/ uses, all taken from src/contract.ts with type-only imports so zod never enters
// the bundle. contract.ts names most of its types; the few it only declares as schemas are inferred here,
// in one place, so a screen never restates a shape by hand.
import type { z } from 'zod';
import type {
  accountSessionsResponse,
  activityResponse,
  addMemberRequest,
  connectionResponse,
  conversationsResponse,
  disconnectResponse,
  droppedPageView,
  invitationCreatedResponse,
  invitationsResponse,
  loginRequest,
  loginResponse,
  MessageView,
  markReadResponse,
  membersResponse,
  messagesResponse,
  oauthUrlResponse,
  recoveryCodesResponse,
  resetLinkResponse,
  savedRepliesResponse,
  savedReplyResponse,
  selectPageRequest,
  sendMessageRequest,
  sendMessageResponse,
  signupRequest,
  twoFactorSetupResponse,
  updateConversationRequest,
  updateConversationResponse,
} from '../../src/contract.ts';

export type {
  AccountSessionView,
  ActivityEntryView,
  Channel,
  ConnectionStatus,
  ConnectionStatusResponse,
  ConnectionView,
  ConversationCounts,
  ConversationSort,
  ConversationStatus,
  ConversationStatusFilter,
  ConversationView,
  ErrorBody,
  HistoryStatusResponse,
  InboxSettingsResponse,
  InvitationPreview,
  InvitationView,
  LiveEvent,
  MemberView,
  MessageView,
  MetaErrorCode,
  PendingPagesResponse,
  PendingPageView,
  PersonView,
  PresenceResponse,
  PresenceState,
  Role,
  SavedReplyView,
  SearchMatch,
  SessionView,
} from '../../src/contract.ts';

export type SignupRequest = z.input<typeof signupRequest>;
export type LoginRequest = z.input<typeof loginRequest>;
export type AddMemberRequest = z.input<typeof addMemberRequest>;
export type MembersResponse = z.infer<typeof membersResponse>;
export type OAuthUrlResponse = z.infer<typeof oauthUrlResponse>;
export type SelectPageRequest = z.input<typeof selectPageRequest>;
export type ConnectionResponse = z.infer<typeof connectionResponse>;
export type DisconnectResponse = z.infer<typeof disconnectResponse>;
export type WebhookState = ConnectionResponse['connection']['webhooks']['page'];
export type ConversationsResponse = z.infer<typeof conversationsResponse>;
export type MessagesResponse = z.infer<typeof messagesResponse>;
export type SendMessageRequest = z.input<typeof sendMessageRequest>;
export type SendMessageResponse = z.infer<typeof sendMessageResponse>;
export type MarkReadResponse = z.infer<typeof markReadResponse>;
export type UpdateConversationRequest = z.input<typeof updateConversationRequest>;
export type UpdateConversationResponse = z.infer<typeof updateConversationResponse>;
export type ActivityResponse = z.infer<typeof activityResponse>;
export type ActivityKind = ActivityResponse['events'][number]['kind'];
export type DroppedPageView = z.infer<typeof droppedPageView>;
export type MessageStatus = MessageView['status'];
export type AttachmentView = MessageView['attachments'][number];
export type LoginResponse = z.infer<typeof loginResponse>;
export type InvitationCreatedResponse = z.infer<typeof invitationCreatedResponse>;
export type InvitationsResponse = z.infer<typeof invitationsResponse>;
export type ResetLinkResponse = z.infer<typeof resetLinkResponse>;
export type TwoFactorSetupResponse = z.infer<typeof twoFactorSetupResponse>;
export type RecoveryCodesResponse = z.infer<typeof recoveryCodesResponse>;
export type AccountSessionsResponse = z.infer<typeof accountSessionsResponse>;
export type SavedRepliesResponse = z.infer<typeof savedRepliesResponse>;
export type SavedReplyResponse = z.infer<typeof savedReplyResponse>;

// Internal notes and @mentions (issue 12 item 4).
export type {
  MentionEvent,
  MentionsResponse,
  MentionView,
  UnreadSummary,
} from '../../src/contract.ts';
export type CreateNoteResponse = { message: MessageView };
export type MentionsReadResponse = { unread_count: number };

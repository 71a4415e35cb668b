// Row types of conversations and messages (migrations 0003, 0008, 0010, 0011, 0013).
import type { Channel } from '../contract.ts';

export type MessageDirection = 'inbound' | 'outbound';
export type ConversationStatus = 'open' | 'resolved';
/** `note`: written by a member for the team, never sent to Meta (migration 0011). */
export type MessageKind = 'message' | 'note';
export type MessageStatus = 'received' | 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface ConversationsTable {
  id: string;
  org_id: string;
  channel: Channel;
  /** The business side: the Page id (Messenger) or the Instagram account id. */
  account_id: string;
  /** The person: PSID (Messenger) or IGSID (Instagram). */
  participant_id: string;
  participant_name: string | null;
  /** Last attempt to read the person's profile, so a failing lookup is not repeated per message. */
  profile_checked_at: number | null;
  last_message_id: string | null;
  last_message_at: number;
  /** Meta's timestamp of the person's newest message: the 24-hour window starts here. */
  last_inbound_at: number | null;
  unread_count: number;
  /** Meta-clock watermarks from delivery and read receipts; they only move forward. */
  delivered_watermark: number;
  read_watermark: number;
  /** JSON of the first referral (migration 0007). */
  referral: string | null;
  /** Meta's time of the newest standby event; cleared when the app owns the thread again. */
  standby_at: number | null;
  participant_picture_id: string | null;
  created_at: number;
  updated_at: number;
  /** Open until a member resolves it; the person's next message reopens it. */
  status: ConversationStatus;
  /** When the oldest message the business has not answered arrived; null when answered. */
  waiting_since: number | null;
  /** The person's Instagram username (null on Messenger, or until the profile is read). */
  participant_handle: string | null;
  /** The member who owns it, or null (migration 0010); removing the member unassigns. */
  assignee_id: string | null;
  /**
   * Written only by the database's triggers (migration 0013), so left out of inserts and updates: the
   * last message's row as JSON, and the oldest message's sent_at.
   */
  last_message_copy?: string | null;
  first_message_at?: number | null;
}

export interface MessagesTable {
  id: string;
  org_id: string;
  conversation_id: string;
  mid: string | null;
  direction: MessageDirection;
  text: string | null;
  /** JSON array of StoredAttachment (stored-attachment.ts). */
  attachments: string;
  /** JSON of MessageDetails (webhooks/webhook-message-parts.ts), or null (migration 0007). */
  details: string | null;
  status: MessageStatus;
  sent_at: number;
  meta_at: number | null;
  reaction: string | null;
  deleted_at: number | null;
  sent_by_user_id: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  /** Left out when inserting what the customer and Meta see: the column defaults to `message`. */
  kind?: MessageKind;
}

// The records the emulated Meta keeps. Ids are strings as on the wire; times are emulator-clock ms.
export type Channel = 'messenger' | 'instagram';

export const DEFAULT_TASKS = ['ANALYZE', 'ADVERTISE', 'MESSAGING', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'];

export interface InstagramAccount {
  id: string;
  username: string;
  name: string;
  pageId: string;
}

export interface Page {
  id: string;
  name: string;
  category: string;
  tasks: string[];
  instagram: InstagramAccount | null;
  /** Reached only through a Business portfolio: listed and usable only with business_management. */
  businessOnly: boolean;
  personaKey: string;
  /** Page-level webhook fields of our app (subscribed_apps); null = app not installed on the Page. */
  subscribedFields: string[] | null;
}

/** A test Facebook user who can log in to the app through the dialog. */
export interface Persona {
  key: string;
  userId: string;
  name: string;
  pages: Page[];
}

/** What one run of the login dialog granted: replaced by the next login of the same user. */
export interface Grant {
  userId: string;
  scopes: string[];
  pageIds: string[];
  grantedAt: number;
}

export interface Customer {
  /** PSID for Messenger, IGSID for Instagram. */
  id: string;
  channel: Channel;
  pageId: string;
  igId: string | null;
  firstName: string;
  lastName: string;
  username: string;
  lastInboundAt: number | null;
}

export interface AppSubscription {
  object: string;
  callbackUrl: string;
  fields: string[];
  version: string;
  includeValues: boolean;
}

export interface OutboundAttachment {
  type: string;
  payload: Record<string, unknown>;
}

export interface SentMessage {
  mid: string;
  channel: Channel;
  pageId: string;
  igId: string | null;
  recipientId: string;
  text: string | null;
  attachment: OutboundAttachment | null;
  /** What Meta fetched from `attachment.payload.url` at send time. */
  file: { contentType: string; bytes: Buffer } | null;
  messagingType: string | null;
  tag: string | null;
  metadata: string | null;
  timestamp: number;
  deliveredAt: number | null;
  readAt: number | null;
}

/** An attachment a customer sends, in the control API's words; messaging-events.ts writes Meta's shape. */
export interface InboundAttachment {
  type: string;
  url?: string;
  title?: string;
  sticker_id?: number;
  reel_video_id?: string;
  coordinates?: { lat: number; long: number };
  elements?: Array<{ title: string; subtitle?: string }>;
}

/** What else a customer's message carries (reference §8.4 (a), (b), (j)). */
export interface InboundExtras {
  quickReplyPayload?: string;
  replyToMid?: string;
  replyToStory?: { url: string; id: string };
  referral?: Record<string, unknown>;
  isUnsupported?: boolean;
}

export interface InboundMessage {
  mid: string;
  channel: Channel;
  pageId: string;
  igId: string | null;
  customerId: string;
  text: string | null;
  attachments: InboundAttachment[];
  extras: InboundExtras;
  /** Sent under entry.standby[]: another app owns the thread. */
  standby: boolean;
  timestamp: number;
  deliveryId: string | null;
}

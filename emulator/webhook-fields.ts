// Webhook field names Meta accepts (reference §6), and which field each emulated event travels under.
// Messenger echoes, deliveries and reads have their own fields; on Instagram an echo is part of
// `messages` and a read is `messaging_seen` (reference §15, gotcha 8).
import type { Channel } from './model.ts';

export const MESSENGER_FIELDS = [
  'message_deliveries',
  'message_echoes',
  'message_edits',
  'message_reactions',
  'message_reads',
  'messages',
  'messaging_account_linking',
  'messaging_feedback',
  'messaging_game_plays',
  'messaging_handovers',
  'messaging_optins',
  'messaging_policy_enforcement',
  'messaging_postbacks',
  'messaging_referrals',
  'messaging_seen',
  'messenger_template_status_update',
  'response_feedback',
  'send_cart',
  'standby',
  'feed',
  'mention',
  'name',
  'picture',
];

export const INSTAGRAM_FIELDS = [
  'messages',
  'message_reactions',
  'messaging_postbacks',
  'messaging_seen',
  'messaging_referral',
  'messaging_handover',
  'messaging_optins',
  'standby',
  'comments',
  'live_comments',
  'mentions',
  'story_insights',
];

/** Page-level subscribed_apps carries both: Instagram messaging via Facebook Login is subscribed on the Page. */
export const PAGE_LEVEL_FIELDS = [...new Set([...MESSENGER_FIELDS, ...INSTAGRAM_FIELDS])];

export const APP_OBJECT_FIELDS: Record<string, readonly string[] | null> = {
  page: MESSENGER_FIELDS,
  instagram: INSTAGRAM_FIELDS,
  // Objects the emulator stores but never emits events for; any field name is accepted.
  user: null,
  permissions: null,
  application: null,
};

export const isMessagingField = (field: string) => field.startsWith('messag') || field === 'standby';

export type EventKind =
  | 'message'
  | 'echo'
  | 'delivery'
  | 'read'
  | 'reaction'
  | 'edit'
  | 'postback'
  | 'referral';

/** The field an event travels under; events for a thread another app owns all travel as `standby`. */
export function fieldFor(channel: Channel, kind: EventKind, standby = false): string {
  if (standby) return 'standby';
  if (channel === 'instagram')
    return {
      message: 'messages',
      echo: 'messages',
      // Instagram edits: Meta documents message_edits for Messenger only; the emulator sends them as messages.
      edit: 'messages',
      delivery: 'messages',
      read: 'messaging_seen',
      reaction: 'message_reactions',
      postback: 'messaging_postbacks',
      referral: 'messaging_referral',
    }[kind];
  return {
    message: 'messages',
    echo: 'message_echoes',
    delivery: 'message_deliveries',
    read: 'message_reads',
    reaction: 'message_reactions',
    edit: 'message_edits',
    postback: 'messaging_postbacks',
    referral: 'messaging_referrals',
  }[kind];
}

export const objectFor = (channel: Channel) => (channel === 'messenger' ? 'page' : 'instagram');

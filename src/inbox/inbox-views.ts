// Rows → the API's conversation and message objects (CONTRACT §6). The 24-hour window's end is shown so
// the composer can count down (field lessons row 8).
import type { Channel, ConversationView, MessageView, PersonView, ReferralView } from '../contract.ts';
import type { MessageDetails, Referral } from '../webhooks/webhook-payload.ts';
import type { ConversationsTable, MessagesTable } from './inbox-tables.ts';
import { attachmentToView, parseStoredAttachments } from './stored-attachment.ts';

export const MESSAGING_WINDOW_MS = 24 * 3600_000;
/** Meta's Human Agent tag: a person may answer up to 7 days after the customer's last message. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 3600_000;

function parseJson<T>(json: string | null): T | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as T;
  } catch {
    return null;
  }
}

const toReferralView = (r: Referral): ReferralView => ({
  source: r.source,
  type: r.type,
  ref: r.ref,
  ad_id: r.ad_id,
  ad_title: r.ad_title,
});

/**
 * What a view needs beyond its row: members' display names by user id (assignee_id, sent_by_user_id;
 * assignment-repository.ts displayNames) and the conversation's channel (naming echoes' app).
 */
export interface ViewContext {
  names: ReadonlyMap<string, string>;
  channel: Channel;
  /** Whom each note mentions (user ids by message id; mentions-repository.ts mentionedIn). */
  mentions?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Who wrote it: the member who sent it from Parley, or — an outbound message with no member, i.e. an
 * echo of a reply made in Meta's own apps — the channel's app; the customer's messages have none.
 */
export function authorOf(row: MessagesTable, ctx: ViewContext): PersonView | null {
  if (row.direction === 'inbound') return null;
  if (row.sent_by_user_id !== null)
    return { id: row.sent_by_user_id, name: ctx.names.get(row.sent_by_user_id) ?? 'Former member' };
  return { id: null, name: ctx.channel === 'instagram' ? 'Instagram' : 'Facebook' };
}

/** `replied` is the message this one answers, when Parley has it (its text is shown as a quote). */
export function toMessageView(
  row: MessagesTable,
  ctx: ViewContext,
  replied?: MessagesTable | null,
): MessageView {
  const alive = row.deleted_at === null;
  const view: MessageView = {
    id: row.id,
    mid: row.mid,
    direction: row.direction,
    text: alive ? row.text : null,
    attachments: alive ? parseStoredAttachments(row.attachments).map(attachmentToView) : [],
    status: row.status,
    sent_at: new Date(row.sent_at).toISOString(),
    reaction: row.reaction,
    deleted: !alive,
    author: authorOf(row, ctx),
    kind: row.kind ?? 'message',
  };
  if (row.status === 'failed' && row.error) view.failure_reason = row.error;
  if (row.kind === 'note')
    view.mentions = (ctx.mentions?.get(row.id) ?? []).map((id) => ({
      id,
      name: ctx.names.get(id) ?? 'Former member',
    }));
  const d = parseJson<MessageDetails>(row.details);
  if (!d) return view;
  if (d.reply_to_mid)
    view.reply_to = {
      mid: d.reply_to_mid,
      text: replied && replied.deleted_at === null ? replied.text : null,
    };
  const payload = d.quick_reply_payload ?? d.postback_payload;
  if (payload) view.payload = payload;
  if (d.edit_count) view.edit_count = d.edit_count;
  if (d.unsupported) view.unsupported = true;
  if (d.standby) view.standby = true;
  if (d.referral) view.referral = toReferralView(d.referral);
  return view;
}

export function toConversationView(
  row: ConversationsTable,
  last: MessagesTable | null,
  names: ReadonlyMap<string, string>,
): ConversationView {
  const referral = parseJson<Referral>(row.referral);
  const ctx = { names, channel: row.channel };
  return {
    id: row.id,
    channel: row.channel,
    status: row.status,
    participant: {
      id: row.participant_id,
      name: row.participant_name,
      handle: row.participant_handle,
      avatar_url: row.participant_picture_id ? `/api/media/${row.participant_picture_id}` : null,
    },
    assignee:
      row.assignee_id === null
        ? null
        : { id: row.assignee_id, name: names.get(row.assignee_id) ?? 'Former member' },
    last_message: last ? toMessageView(last, ctx) : null,
    unread_count: row.unread_count,
    updated_at: new Date(row.last_message_at).toISOString(),
    window_expires_at:
      row.last_inbound_at === null ? null : new Date(row.last_inbound_at + MESSAGING_WINDOW_MS).toISOString(),
    waiting_since: row.waiting_since === null ? null : new Date(row.waiting_since).toISOString(),
    referral: referral ? toReferralView(referral) : null,
    handled_by_another_app: row.standby_at !== null,
  };
}

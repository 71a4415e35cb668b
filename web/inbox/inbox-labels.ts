import type { AttachmentView, Channel, ConversationView, MessageView } from '../api/contract.ts';
import type { ChannelFilter, ListQuery } from './inbox-state.ts';

export const channelLabels: Record<Channel, string> = {
  messenger: 'Messenger',
  instagram: 'Instagram',
};

export const channelFilters: { id: ChannelFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'messenger', label: 'Messenger' },
  { id: 'instagram', label: 'Instagram' },
];

export const statusFilters: { id: ListQuery['status']; label: string }[] = [
  { id: 'open', label: 'Open' },
  { id: 'resolved', label: 'Resolved' },
  { id: 'all', label: 'All' },
];

/** Meta's profile name, or — until it is known or when Meta won't share it — "Customer · 1234". */
export function participantName(participant: ConversationView['participant']): string {
  const name = participant.name?.trim();
  return name ? name : `Customer · ${participant.id.slice(-4)}`;
}

const attachmentLabels: Record<string, string> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  file: 'File',
  sticker: 'Sticker',
  location: 'Location',
  share: 'Shared link',
  story_mention: 'Story mention',
};

export function attachmentLabel(attachment: AttachmentView): string {
  return attachmentLabels[attachment.type] ?? 'Attachment';
}

/** The one-line summary of a conversation's last message in the list. */
export function messagePreview(message: MessageView | null): string {
  if (!message) return 'No messages yet';
  const prefix = message.direction === 'outbound' ? 'You: ' : '';
  if (message.deleted) return `${prefix}Message unsent`;
  const text = message.text?.trim();
  if (text) return `${prefix}${text}`;
  const [first] = message.attachments;
  if (first) return `${prefix}${attachmentLabel(first)}`;
  return `${prefix}Message`;
}

/**
 * An attachment URL safe to put in href/src: only http(s). Meta sends CDN URLs, but the text comes from
 * outside, and a `javascript:` URL in a link would run in Parley's origin.
 */
export function safeMediaUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

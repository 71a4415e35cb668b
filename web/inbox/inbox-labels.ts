import type { AttachmentView, Channel, ConversationView, MessageView } from '../api/contract.ts';
import type { AssigneeFilter, ChannelFilter, ListQuery } from './inbox-state.ts';

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

/**
 * Meta's profile name; until it is known, or when Meta won't share it, the Instagram "@username" when
 * known (the history import keeps it), else "Customer · 1234".
 */
export function participantName(participant: ConversationView['participant']): string {
  const name = participant.name?.trim();
  if (name) return name;
  return participant.handle ? `@${participant.handle}` : `Customer · ${participant.id.slice(-4)}`;
}

const attachmentLabels: Record<string, string> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  file: 'File',
  sticker: 'Sticker',
  location: 'Location',
  share: 'Shared post',
  fallback: 'Shared link',
  template: 'Template',
  story_mention: 'Story mention',
  story_reply: 'Story',
  ig_reel: 'Reel',
  reel: 'Reel',
};

export function attachmentLabel(attachment: AttachmentView): string {
  if (attachment.sticker) return 'Sticker';
  return attachmentLabels[attachment.type] ?? 'Attachment';
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Where a conversation came from, in words: "Ad: Spring sale", "Link (ref spring)". */
export function referralLabel(r: {
  source: string | null;
  ref: string | null;
  ad_title: string | null;
  ad_id: string | null;
}): string {
  const source = (r.source ?? '').toUpperCase();
  if (source === 'ADS') return `Ad${r.ad_title ? `: ${r.ad_title}` : r.ad_id ? ` ${r.ad_id}` : ''}`;
  const base =
    source === 'SHORTLINK'
      ? 'm.me / ig.me link'
      : source
        ? source.toLowerCase().replaceAll('_', ' ')
        : 'Link';
  return r.ref ? `${base} (ref ${r.ref})` : base;
}

export const assigneeFilters: { id: AssigneeFilter; label: string }[] = [
  { id: 'any', label: 'Everyone' },
  { id: 'me', label: 'Mine' },
  { id: 'unassigned', label: 'Unassigned' },
];

/** Who wrote an outbound message, as the preview says it: "You", the member's name, or Meta's app. */
function authorPrefix(message: MessageView, userId: string | null): string {
  if (message.direction !== 'outbound') return '';
  const author = message.author;
  if (!author || (author.id !== null && author.id === userId)) return 'You: ';
  return `${author.name}: `;
}

/** The one-line summary of a conversation's last message in the list ("Ana: …" when Ana wrote it). */
export function messagePreview(message: MessageView | null, userId: string | null = null): string {
  if (!message) return 'No messages yet';
  const prefix = authorPrefix(message, userId);
  if (message.deleted) return `${prefix}Message unsent`;
  if (message.unsupported) return `${prefix}A message Meta can't show here`;
  const text = message.text?.trim();
  if (text) return `${prefix}${text}`;
  const [first] = message.attachments;
  if (first) return `${prefix}${attachmentLabel(first)}`;
  return `${prefix}Message`;
}

/** A media URL safe to put in src/href: only Parley's own /api/media/<id> (never Meta's CDN). */
export function safeMediaUrl(url: string | null): string | null {
  if (!url) return null;
  return /^\/api\/media\/[A-Za-z0-9-]{1,100}$/.test(url) ? url : null;
}

/**
 * A link a customer shared, safe to put in href: only http(s). The text comes from outside, and a
 * `javascript:` URL in a link would run in Parley's origin.
 */
export function safeLinkUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

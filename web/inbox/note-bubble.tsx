// An internal note in the thread: full width, warm yellow, labelled "Internal note" with its author and
// time, its @mentions highlighted — plainly not a message the customer received.
import type { ReactNode } from 'react';
import { formatDateTime, formatMessageTime } from '../ui/date-format.ts';
import type { ThreadMessage } from './inbox-state.ts';

/** The text with each `@Name` of `names` (case-insensitive, longest first) wrapped in a highlight. */
export function highlightMentions(text: string, names: readonly string[]): ReactNode[] {
  const sorted = [...new Set(names)].filter((n) => n.length > 0).sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return [text];
  const escaped = sorted.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`@(?:${escaped.join('|')})`, 'giu');
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index;
    if (at > last) parts.push(text.slice(last, at));
    parts.push(
      <mark key={at} className="note__mention">
        {match[0]}
      </mark>,
    );
    last = at + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export function NoteBubble({
  message,
  now,
  found = false,
}: {
  message: ThreadMessage;
  now: number;
  found?: boolean;
}) {
  const author = message.author?.name ?? 'A teammate';
  // A member without a display name is named by their email, and was mentioned by its local part.
  const names = (message.mentions ?? []).map((m) => (m.name.includes('@') ? m.name.split('@')[0]! : m.name));
  return (
    <li id={`message-${message.id}`} className="note" data-found={found || undefined}>
      <p className="note__header">
        <span className="note__label">Internal note</span>
        <span className="note__author">{author}</span>
        <time dateTime={message.sent_at} title={formatDateTime(message.sent_at)}>
          {formatMessageTime(message.sent_at, now)}
        </time>
      </p>
      <p className="note__text" dir="auto">
        {highlightMentions(message.text ?? '', names)}
      </p>
    </li>
  );
}

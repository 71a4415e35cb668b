// One row of the conversation list: the customer's avatar, name (with the Instagram handle in search
// results), when it last changed, channel, status, the last message or the search hit's snippet, and the
// unread count. A link to the thread; a search hit's link opens it at the matching message.
import { Link } from 'wouter';
import type { ConversationView, SearchMatch } from '../api/contract.ts';
import { formatDateTime, formatRelative } from '../ui/date-format.ts';
import { Avatar } from './avatar.tsx';
import { ChannelBadge } from './channel-badge.tsx';
import { Highlighted } from './highlight.tsx';
import { messagePreview, participantName } from './inbox-labels.ts';

export function ConversationLink({
  conversation,
  current,
  now,
  match,
  words,
  userId,
}: {
  conversation: ConversationView;
  userId: string | null;
  current: boolean;
  now: number;
  /** Set in search results: the matching message (null when the name matched). */
  match?: SearchMatch | undefined;
  words: string[];
}) {
  // The open conversation is being read: its count is about to be cleared by the server.
  const unread = current ? 0 : conversation.unread_count;
  const base = `/inbox/${encodeURIComponent(conversation.id)}`;
  const name = participantName(conversation.participant);
  const handle = conversation.participant.handle;
  return (
    <Link
      href={match ? `${base}?${new URLSearchParams({ message: match.message_id })}` : base}
      className="conversation-link"
      aria-current={current ? 'page' : undefined}
      data-unread={unread > 0 || undefined}
    >
      <Avatar participant={conversation.participant} />
      <span className="conversation-link__top">
        <span className="conversation-link__name" dir="auto">
          <Highlighted text={name} words={words} />
          {handle && words.length > 0 && (
            <span className="conversation-link__handle">
              {' '}
              @<Highlighted text={handle} words={words} />
            </span>
          )}
        </span>
        <time
          className="conversation-link__time"
          dateTime={conversation.updated_at}
          title={formatDateTime(conversation.updated_at)}
        >
          {formatRelative(conversation.updated_at, now)}
        </time>
      </span>
      <span className="conversation-link__bottom">
        <ChannelBadge channel={conversation.channel} />
        {conversation.status === 'resolved' && <span className="status-badge">Resolved</span>}
        <span
          className={`conversation-link__preview${match ? ' conversation-link__preview--snippet' : ''}`}
          dir="auto"
        >
          {match ? (
            <Highlighted text={match.snippet} words={words} />
          ) : (
            messagePreview(conversation.last_message, userId)
          )}
        </span>
        {unread > 0 && (
          <>
            <span className="unread-badge" aria-hidden="true">
              {unread > 99 ? '99+' : unread}
            </span>
            <span className="visually-hidden">
              {unread === 1 ? '1 unread message' : `${unread} unread messages`}
            </span>
          </>
        )}
      </span>
    </Link>
  );
}

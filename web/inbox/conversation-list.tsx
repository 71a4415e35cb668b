// The left pane: channel filter, then the conversations newest first, each a link to its thread.
import { Link } from 'wouter';
import type { ConversationView } from '../api/contract.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { formatDateTime, formatRelative } from '../ui/date-format.ts';
import { Skeleton } from '../ui/skeleton.tsx';
import { useNow } from '../ui/use-now.ts';
import { ChannelBadge } from './channel-badge.tsx';
import { channelFilters, channelLabels, messagePreview, participantName } from './inbox-labels.ts';
import type { ChannelFilter, ListState } from './inbox-state.ts';

export const EMULATOR_URL = 'http://localhost:3001';

export function ConversationList({
  list,
  known,
  openId,
  onSelectChannel,
  onRetry,
  onLoadMore,
}: {
  list: ListState;
  known: Record<string, ConversationView>;
  openId: string | null;
  onSelectChannel: (channel: ChannelFilter) => void;
  onRetry: () => void;
  onLoadMore: () => void;
}) {
  const now = useNow();

  return (
    <div className="conversation-list">
      <fieldset className="channel-filter">
        <legend className="visually-hidden">Channel</legend>
        {channelFilters.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            className="channel-filter__option"
            aria-pressed={list.channel === id}
            onClick={() => onSelectChannel(id)}
          >
            {label}
          </button>
        ))}
      </fieldset>

      {list.status === 'loading' ? (
        <Skeleton label="Loading conversations…" />
      ) : list.status === 'error' ? (
        <Alert title="The conversations could not be loaded.">
          <p>{list.error?.message}</p>
          <Button onClick={onRetry}>Try again</Button>
        </Alert>
      ) : list.ids.length === 0 ? (
        <NoConversations channel={list.channel} />
      ) : (
        <nav aria-label="Conversations">
          <ul className="conversation-list__items">
            {list.ids.map((id) => {
              const conversation = known[id];
              return conversation ? (
                <li key={id}>
                  <ConversationLink conversation={conversation} current={id === openId} now={now} />
                </li>
              ) : null;
            })}
          </ul>
        </nav>
      )}

      {list.status === 'ready' && list.nextCursor && (
        <div className="conversation-list__more">
          <Button onClick={onLoadMore} busy={list.more === 'loading'}>
            Load more
          </Button>
          {list.more === 'error' && (
            <p className="inline-error" role="alert">
              More conversations could not be loaded. Try again.
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function ConversationLink({
  conversation,
  current,
  now,
}: {
  conversation: ConversationView;
  current: boolean;
  now: number;
}) {
  // The open conversation is being read: its count is about to be cleared by the server.
  const unread = current ? 0 : conversation.unread_count;
  return (
    <Link
      href={`/inbox/${encodeURIComponent(conversation.id)}`}
      className="conversation-link"
      aria-current={current ? 'page' : undefined}
      data-unread={unread > 0 || undefined}
    >
      <span className="conversation-link__top">
        <span className="conversation-link__name">{participantName(conversation.participant)}</span>
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
        <span className="conversation-link__preview">{messagePreview(conversation.last_message)}</span>
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

function NoConversations({ channel }: { channel: ChannelFilter }) {
  if (channel !== 'all') {
    return (
      <div className="empty-state">
        <p>No {channelLabels[channel]} conversations yet.</p>
      </div>
    );
  }
  return (
    <div className="empty-state">
      <p className="empty-state__title">No conversations yet</p>
      <p>Messages to your Page and Instagram account appear here.</p>
      <p className="muted">
        Not connected yet? Connect a Facebook Page in{' '}
        <Link href="/settings/tab/integrations">Settings → Integrations</Link>.
      </p>
      <p className="muted">
        In sandbox mode, play the customer in the Meta emulator at{' '}
        <a href={EMULATOR_URL} target="_blank" rel="noreferrer">
          {EMULATOR_URL}
        </a>
        .
      </p>
    </div>
  );
}

// The left pane: the search box, Open / Resolved / All, the channel filter and the sort, then the
// conversations, each a link to its thread. A search hit shows the matching text highlighted and opens
// the thread at that message (`?message=<id>`).
import { useEffect, useId, useState } from 'react';
import { Link } from 'wouter';
import type { ConversationCounts, ConversationSort, ConversationView, SearchMatch } from '../api/contract.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { formatDateTime, formatRelative } from '../ui/date-format.ts';
import { Skeleton } from '../ui/skeleton.tsx';
import { useNow } from '../ui/use-now.ts';
import { Avatar } from './avatar.tsx';
import { ChannelBadge } from './channel-badge.tsx';
import { Highlighted, searchWords } from './highlight.tsx';
import {
  assigneeFilters,
  channelFilters,
  channelLabels,
  messagePreview,
  participantName,
  statusFilters,
} from './inbox-labels.ts';
import type { ChannelFilter, ListQuery, ListState } from './inbox-state.ts';

/** How long typing pauses before the search runs. */
export const SEARCH_DEBOUNCE_MS = 250;

export const EMULATOR_URL = 'http://localhost:3001';

export function ConversationList({
  list,
  known,
  openId,
  counts = null,
  userId = null,
  onChangeQuery,
  onRetry,
  onLoadMore,
}: {
  list: ListState;
  known: Record<string, ConversationView>;
  openId: string | null;
  /** Open conversations in the Mine and Unassigned views, shown beside them once known. */
  counts?: ConversationCounts | null;
  /** The signed-in member: their own replies preview as "You: …". */
  userId?: string | null;
  onChangeQuery: (change: Partial<ListQuery>) => void;
  onRetry: () => void;
  onLoadMore: () => void;
}) {
  const now = useNow();
  const { query } = list;
  const searching = query.q.trim() !== '';
  const words = searching ? searchWords(query.q) : [];
  const sortId = useId();

  return (
    <div className="conversation-list">
      <SearchBox value={query.q} onSearch={(q) => onChangeQuery({ q })} />
      <fieldset className="channel-filter status-filter">
        <legend className="visually-hidden">Status</legend>
        {statusFilters.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            className="channel-filter__option"
            aria-pressed={query.status === id}
            onClick={() => onChangeQuery({ status: id })}
          >
            {label}
          </button>
        ))}
      </fieldset>
      <fieldset className="channel-filter assignee-filter">
        <legend className="visually-hidden">Assigned to</legend>
        {assigneeFilters.map(({ id, label }) => {
          const count = id === 'me' ? counts?.mine : id === 'unassigned' ? counts?.unassigned : undefined;
          return (
            <button
              key={id}
              type="button"
              className="channel-filter__option"
              aria-pressed={query.assignee === id}
              onClick={() => onChangeQuery({ assignee: id })}
            >
              {label}
              {count !== undefined && (
                <>
                  <span className="filter-count" aria-hidden="true">
                    {count > 999 ? '999+' : count}
                  </span>
                  <span className="visually-hidden">, {count} open</span>
                </>
              )}
            </button>
          );
        })}
      </fieldset>
      <div className="conversation-list__filters">
        <fieldset className="channel-filter">
          <legend className="visually-hidden">Channel</legend>
          {channelFilters.map(({ id, label }) => (
            <button
              key={id}
              type="button"
              className="channel-filter__option"
              aria-pressed={query.channel === id}
              onClick={() => onChangeQuery({ channel: id })}
            >
              {label}
            </button>
          ))}
        </fieldset>
        {!searching && (
          <span className="conversation-list__sort">
            <label htmlFor={sortId}>Sort</label>
            <select
              id={sortId}
              value={query.sort}
              onChange={(event) => onChangeQuery({ sort: event.target.value as ConversationSort })}
            >
              <option value="recent">Last activity</option>
              <option value="waiting">Waiting longest</option>
            </select>
          </span>
        )}
      </div>

      {list.status === 'loading' ? (
        <Skeleton label="Loading conversations…" />
      ) : list.status === 'error' ? (
        <Alert title="The conversations could not be loaded.">
          <p>{list.error?.message}</p>
          <Button onClick={onRetry}>Try again</Button>
        </Alert>
      ) : list.ids.length === 0 ? (
        searching ? (
          <div className="empty-state">
            <p>No conversation matches “{query.q.trim()}”.</p>
          </div>
        ) : (
          <NoConversations channel={query.channel} status={query.status} assignee={query.assignee} />
        )
      ) : (
        <nav aria-label={searching ? 'Search results' : 'Conversations'}>
          <ul className="conversation-list__items">
            {list.ids.map((id) => {
              const conversation = known[id];
              return conversation ? (
                <li key={id}>
                  <ConversationLink
                    conversation={conversation}
                    current={id === openId}
                    now={now}
                    match={searching ? (list.matches[id] ?? null) : undefined}
                    words={words}
                    userId={userId}
                  />
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

/** The search box: it searches as one types, after a short pause; Escape clears it. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => onSearch(text), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, value, onSearch]);
  return (
    <div className="conversation-search">
      <label htmlFor={id} className="visually-hidden">
        Search conversations
      </label>
      <input
        id={id}
        type="search"
        className="conversation-search__input"
        placeholder="Search names and messages"
        value={text}
        dir="auto"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setText('');
        }}
      />
    </div>
  );
}

function ConversationLink({
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

function NoConversations({
  channel,
  status,
  assignee,
}: {
  channel: ChannelFilter;
  status: ListQuery['status'];
  assignee: ListQuery['assignee'];
}) {
  if (assignee !== 'any') {
    return (
      <div className="empty-state">
        <p>
          {assignee === 'me'
            ? 'No conversations assigned to you here.'
            : 'Every conversation here has someone on it.'}
        </p>
      </div>
    );
  }
  if (status === 'resolved') {
    return (
      <div className="empty-state">
        <p>No resolved conversations{channel === 'all' ? '' : ` on ${channelLabels[channel]}`}.</p>
      </div>
    );
  }
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

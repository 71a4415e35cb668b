// The left pane: the search box, Open / Resolved / All, the channel filter and the sort, then the
// conversations, each a link to its thread. A search hit shows the matching text highlighted and opens
// the thread at that message (`?message=<id>`).
import { useEffect, useId, useState } from 'react';
import type { ConversationCounts, ConversationSort, ConversationView } from '../api/contract.ts';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { Skeleton } from '../ui/skeleton.tsx';
import { useNow } from '../ui/use-now.ts';
import { ConversationLink } from './conversation-link.tsx';
import { searchWords } from './highlight.tsx';
import { assigneeFilters, channelFilters, statusFilters } from './inbox-labels.ts';
import type { ListQuery, ListState } from './inbox-state.ts';
import { NoConversations } from './no-conversations.tsx';

/** How long typing pauses before the search runs. */
export const SEARCH_DEBOUNCE_MS = 250;

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

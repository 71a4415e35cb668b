// The right pane: who the conversation is with and its status (Resolve / Reopen, also the E key), its
// messages oldest to newest (a `log` region, so new messages are announced), "Load older messages", and
// the composer. Opened from a search hit, it scrolls to that message, loading older pages to reach it.
import { type ReactNode, useEffect, useLayoutEffect, useRef } from 'react';
import { Link } from 'wouter';
import type { ConnectionStatusResponse, ConversationStatus, ConversationView } from '../api/contract.ts';
import { useApi } from '../api/use-api.ts';
import { useUnread } from '../frame/unread.tsx';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { Skeleton } from '../ui/skeleton.tsx';
import { useNow } from '../ui/use-now.ts';
import { AssigneeMenu } from './assignee-menu.tsx';
import { ChannelBadge } from './channel-badge.tsx';
import { Composer } from './composer.tsx';
import { ComposerTabs } from './composer-tabs.tsx';
import { participantName, referralLabel } from './inbox-labels.ts';
import type { ThreadMessage, ThreadState } from './inbox-state.ts';
import { MessageBubble } from './message-bubble.tsx';
import { StatusButton } from './status-button.tsx';
import type { SendResult } from './use-inbox.ts';

/** At most this many older pages are fetched to reach a search hit's message. */
const MAX_PAGES_TO_FOCUS = 20;

/** Within this many pixels of the bottom the thread follows new messages; further up it stays put. */
const FOLLOW_THRESHOLD_PX = 80;

export function ThreadPane({
  conversationId,
  conversation,
  thread,
  connectionVersion,
  onRetry,
  onLoadOlder,
  onSend,
  onSetStatus,
  onAssign,
  onAddNote,
  focusMessageId = null,
  headerExtra,
}: {
  conversationId: string;
  conversation: ConversationView | undefined;
  thread: ThreadState | undefined;
  connectionVersion: number;
  onRetry: () => void;
  onLoadOlder: () => void;
  onSend: (text: string) => Promise<SendResult>;
  onSetStatus?: (status: ConversationStatus) => Promise<void>;
  onAssign?: (assigneeId: string | null) => Promise<void>;
  /** Internal notes: with it the composer offers Reply and Note. */
  onAddNote?: (text: string) => Promise<SendResult>;
  focusMessageId?: string | null;
  /** More for the header, after the status button: the Details toggle, who else is here. */
  headerExtra?: ReactNode;
}) {
  const meta = useApi<ConnectionStatusResponse>('/api/integrations/meta');
  const { reload: reloadMeta } = meta;
  const firstVersion = useRef(connectionVersion);
  useEffect(() => {
    if (connectionVersion !== firstVersion.current) reloadMeta();
  }, [connectionVersion, reloadMeta]);

  const name = conversation ? participantName(conversation.participant) : null;
  const notFound = thread?.status === 'error' && thread.error?.status === 404;
  // On a phone the list, and its "@ N", are hidden behind the open thread: the way back carries the
  // count of mentions waiting elsewhere (this conversation's are read on opening).
  const mentions = useUnread()?.summary?.mentions ?? 0;
  const mentionsLabel = mentions > 0 ? `, ${mentions} unread mention${mentions === 1 ? '' : 's'}` : '';

  return (
    <section className="thread" aria-labelledby="thread-title">
      <header className="thread__header">
        <Link href="/inbox" className="thread__back">
          <span aria-hidden="true">←</span>{' '}
          <span className="thread__back-label">Conversations{mentionsLabel}</span>
          {mentions > 0 && (
            <span className="thread__back-mentions" aria-hidden="true">
              @ {mentions}
            </span>
          )}
        </Link>
        <h2 id="thread-title">{name ?? (notFound ? 'Conversation not found' : 'Conversation')}</h2>
        {conversation && <ChannelBadge channel={conversation.channel} />}
        {conversation && onAssign && <AssigneeMenu assignee={conversation.assignee} onAssign={onAssign} />}
        {conversation && onSetStatus && (
          <StatusButton key={conversationId} status={conversation.status} onSetStatus={onSetStatus} />
        )}
        {headerExtra}
      </header>
      {conversation?.referral && (
        <p className="thread__notice">Came from {referralLabel(conversation.referral)}</p>
      )}
      {conversation?.handled_by_another_app && (
        <p className="thread__notice" role="status">
          Another app is handling this conversation on Meta (handover). Your replies may not reach the person
          until it passes the conversation back.
        </p>
      )}

      {!thread || thread.status === 'loading' ? (
        <div className="thread__body">
          <Skeleton label="Loading messages…" />
        </div>
      ) : thread.status === 'error' ? (
        <div className="thread__body">
          {notFound ? (
            <div className="empty-state">
              <p>This conversation doesn't exist, or it belongs to another organization.</p>
              <Link href="/inbox">Back to the inbox</Link>
            </div>
          ) : (
            <Alert title="The messages could not be loaded.">
              <p>{thread.error?.message}</p>
              <Button onClick={onRetry}>Try again</Button>
            </Alert>
          )}
        </div>
      ) : (
        <MessageLog
          key={`log-${conversationId}`}
          thread={thread}
          participant={name ?? 'Customer'}
          onLoadOlder={onLoadOlder}
          focusMessageId={focusMessageId}
        />
      )}

      {!notFound &&
        (onAddNote ? (
          <ComposerTabs
            key={`composer-${conversationId}`}
            conversationId={conversationId}
            conversation={conversation}
            connection={meta}
            onSend={onSend}
            onAddNote={onAddNote}
          />
        ) : (
          <Composer
            key={`composer-${conversationId}`}
            conversationId={conversationId}
            conversation={conversation}
            connection={meta}
            onSend={onSend}
          />
        ))}
    </section>
  );
}

function MessageLog({
  thread,
  participant,
  onLoadOlder,
  focusMessageId,
}: {
  thread: ThreadState;
  participant: string;
  onLoadOlder: () => void;
  focusMessageId: string | null;
}) {
  const now = useNow();
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const previous = useRef<{ first?: string; last?: string; height: number }>({ height: 0 });
  const { messages } = thread;
  const first = messages[0] ? keyOf(messages[0]) : undefined;
  const lastMessage = messages.at(-1);
  const last = lastMessage ? keyOf(lastMessage) : undefined;
  // Our own new message always brings the view down to it.
  const ownNewest = lastMessage?.direction === 'outbound' && lastMessage.status === 'pending';

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const before = previous.current;
    if (first !== before.first && last === before.last && before.height > 0) {
      // Older messages were added above: keep the ones being read where they were.
      element.scrollTop += element.scrollHeight - before.height;
    } else if (following.current || ownNewest) {
      element.scrollTop = element.scrollHeight;
      following.current = true;
    }
    previous.current = { first, last, height: element.scrollHeight };
  }, [first, last, ownNewest]);

  // A search hit: bring its message into view once, fetching older pages until it is loaded.
  const focused = useRef<string | null>(null);
  const pagesFetched = useRef(0);
  const hasFocus = focusMessageId !== null && messages.some((message) => message.id === focusMessageId);
  useEffect(() => {
    if (!focusMessageId || focused.current === focusMessageId) return;
    if (!hasFocus) {
      if (thread.nextCursor && thread.older === 'idle' && pagesFetched.current < MAX_PAGES_TO_FOCUS) {
        pagesFetched.current += 1;
        onLoadOlder();
      }
      return;
    }
    const element = document.getElementById(`message-${focusMessageId}`);
    if (!element) return;
    focused.current = focusMessageId;
    following.current = false;
    element.scrollIntoView({ block: 'center' });
  }, [focusMessageId, hasFocus, thread.nextCursor, thread.older, onLoadOlder]);

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    following.current = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_THRESHOLD_PX;
  }

  return (
    <div className="thread__body" ref={scroller} onScroll={onScroll}>
      {thread.nextCursor && (
        <div className="thread__older">
          <Button onClick={onLoadOlder} busy={thread.older === 'loading'}>
            Load older messages
          </Button>
          {thread.older === 'error' && (
            <p className="inline-error" role="alert">
              Older messages could not be loaded. Try again.
            </p>
          )}
        </div>
      )}
      <div role="log" aria-live="polite" aria-label={`Messages with ${participant}`} className="thread__log">
        {messages.length === 0 ? (
          <p className="muted thread__empty">No messages in this conversation yet.</p>
        ) : (
          <ol className="thread__messages">
            {messages.map((message) => (
              <MessageBubble
                key={keyOf(message)}
                message={message}
                participant={participant}
                now={now}
                found={message.id === focusMessageId}
              />
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}

function keyOf(message: ThreadMessage): string {
  return message.clientKey ?? message.id;
}

// /inbox and /inbox/:conversationId, loaded as its own chunk (see app.tsx): the conversation list and the
// open thread side by side (one at a time on narrow screens), kept current by the live event stream.
import { useCallback, useEffect } from 'react';
import { useSearch } from 'wouter';
import './inbox.css';
import type { ConversationStatus } from '../api/contract.ts';
import type { LiveStatus } from '../frame/live-events.tsx';
import { useUnread } from '../frame/unread.tsx';
import { useDocumentTitle } from '../frame/use-document-title.ts';
import { useSession } from '../session/session-context.tsx';
import { ConversationList } from './conversation-list.tsx';
import { participantName } from './inbox-labels.ts';
import { MentionsMenu } from './mentions-menu.tsx';
import { ThreadPane } from './thread-pane.tsx';
import { useInbox } from './use-inbox.ts';

export default function InboxPage({ conversationId }: { conversationId?: string | undefined }) {
  const openId = conversationId ?? null;
  // A search hit opens its thread at the matching message.
  const focusMessageId = new URLSearchParams(useSearch()).get('message');
  const { session } = useSession();
  const inbox = useInbox(openId, session?.user.id ?? null);
  const { state, send, loadOlderMessages, setStatus, assign } = inbox;
  const conversation = openId ? state.known[openId] : undefined;
  useDocumentTitle(conversation ? `${participantName(conversation.participant)} · Inbox` : 'Inbox');

  const onSend = useCallback((text: string) => send(openId ?? '', text), [send, openId]);
  const onSetStatus = useCallback(
    (status: ConversationStatus) => setStatus(openId ?? '', status),
    [setStatus, openId],
  );
  const onAssign = useCallback(
    (assigneeId: string | null) => assign(openId ?? '', assigneeId),
    [assign, openId],
  );
  const onAddNote = useCallback((text: string) => inbox.addNote(openId ?? '', text), [inbox.addNote, openId]);
  // Opening a conversation reads my mentions in it.
  const conversationOpened = useUnread()?.conversationOpened;
  useEffect(() => {
    conversationOpened?.(openId);
    return () => conversationOpened?.(null);
  }, [conversationOpened, openId]);
  const onLoadOlder = useCallback(() => {
    if (openId) loadOlderMessages(openId);
  }, [loadOlderMessages, openId]);

  return (
    <section className="inbox" data-showing={openId ? 'thread' : 'list'} aria-labelledby="inbox-title">
      <div className="inbox__list-pane">
        <div className="inbox__title">
          <h1 id="inbox-title">Inbox</h1>
          <MentionsMenu />
          <LiveIndicator status={inbox.live} />
        </div>
        <ConversationList
          list={state.list}
          known={state.known}
          openId={openId}
          counts={inbox.counts}
          userId={session?.user.id ?? null}
          onChangeQuery={inbox.changeQuery}
          onRetry={inbox.retryList}
          onLoadMore={inbox.loadMoreConversations}
        />
      </div>
      <div className="inbox__thread-pane">
        {openId ? (
          <ThreadPane
            conversationId={openId}
            conversation={conversation}
            thread={state.threads[openId]}
            connectionVersion={inbox.connectionVersion}
            onRetry={inbox.retryThread}
            onLoadOlder={onLoadOlder}
            onSend={onSend}
            onSetStatus={onSetStatus}
            onAssign={onAssign}
            onAddNote={onAddNote}
            focusMessageId={focusMessageId}
          />
        ) : (
          <div className="inbox__no-selection empty-state">
            <p>Select a conversation to read it and reply.</p>
          </div>
        )}
      </div>
    </section>
  );
}

/** Says so only when live updates are interrupted; a working connection needs no label. */
function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <p className="inbox__live" role="status">
      {status === 'reconnecting' ? 'Reconnecting… new messages will appear once connected.' : ''}
    </p>
  );
}

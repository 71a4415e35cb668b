// /inbox and /inbox/:conversationId, loaded as its own chunk (see app.tsx): the conversation list and the
// open thread side by side (one at a time on narrow screens), kept current by the live event stream.
import { type FormEvent, useCallback, useEffect, useRef } from 'react';
import { useSearch } from 'wouter';
import './inbox.css';
import type { ConversationStatus } from '../api/contract.ts';
import type { LiveStatus } from '../frame/live-events.tsx';
import { useUnread } from '../frame/unread.tsx';
import { useDocumentTitle } from '../frame/use-document-title.ts';
import { useSession } from '../session/session-context.tsx';
import { ConversationList } from './conversation-list.tsx';
import { CustomerPanel, DetailsToggle, useCustomerPanel } from './customer-panel.tsx';
import { participantName } from './inbox-labels.ts';
import { MentionsMenu } from './mentions-menu.tsx';
import { PresenceLine } from './presence-line.tsx';
import { ThreadPane } from './thread-pane.tsx';
import { useInbox } from './use-inbox.ts';
import { usePresence } from './use-presence.ts';

const PANEL_ID = 'customer-panel';

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
  // Opening a conversation reads my mentions in it.
  const conversationOpened = useUnread()?.conversationOpened;
  useEffect(() => {
    conversationOpened?.(openId);
    return () => conversationOpened?.(null);
  }, [conversationOpened, openId]);
  const onLoadOlder = useCallback(() => {
    if (openId) loadOlderMessages(openId);
  }, [loadOlderMessages, openId]);
  // Once the conversation is known: a link to one that is not ours (404) reports nothing.
  const presence = usePresence(conversation ? conversation.id : null, session?.user.id ?? null);
  const { typing, stoppedTyping } = presence;
  // A reply sent is typing over.
  const onReply = useCallback(
    (text: string) => {
      stoppedTyping();
      return onSend(text);
    },
    [onSend, stoppedTyping],
  );
  // A note added is typing over too.
  const onAddNote = useCallback(
    (text: string) => {
      stoppedTyping();
      return inbox.addNote(openId ?? '', text);
    },
    [inbox.addNote, openId, stoppedTyping],
  );
  // Keys pressed in the reply box say `typing`, at most every 3 s; a box emptied is typing given up,
  // said at once (a teammate would otherwise wait up to 7 s to answer). Only the reply box: `typing`
  // warns a teammate off answering the customer, and a note for the team answers nobody, so a member
  // writing one stays "viewing".
  const onThreadInput = useCallback(
    (event: FormEvent) => {
      const target = event.target;
      if (!(target instanceof HTMLTextAreaElement) || !target.classList.contains('composer__input')) return;
      if (target.classList.contains('note-composer__input')) return;
      if (target.value === '') stoppedTyping();
      else typing();
    },
    [typing, stoppedTyping],
  );
  const panel = useCustomerPanel();
  const detailsButton = useRef<HTMLButtonElement>(null);

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
      <div className="inbox__thread-pane" onInput={onThreadInput}>
        {openId ? (
          <ThreadPane
            conversationId={openId}
            conversation={conversation}
            thread={state.threads[openId]}
            connectionVersion={inbox.connectionVersion}
            onRetry={inbox.retryThread}
            onLoadOlder={onLoadOlder}
            onSend={onReply}
            onSetStatus={onSetStatus}
            onAssign={onAssign}
            onAddNote={onAddNote}
            focusMessageId={focusMessageId}
            headerExtra={
              <>
                {conversation && <DetailsToggle panel={panel} controls={PANEL_ID} ref={detailsButton} />}
                <PresenceLine members={presence.members} />
              </>
            }
          />
        ) : (
          <div className="inbox__no-selection empty-state">
            <p>Select a conversation to read it and reply.</p>
          </div>
        )}
        {openId && conversation && (
          <CustomerPanel
            id={PANEL_ID}
            conversation={conversation}
            panel={panel}
            onAssign={onAssign}
            returnFocus={detailsButton}
          />
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

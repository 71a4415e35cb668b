// The inbox's data flow: loads the list and the open thread, keeps them current from the live events,
// marks the open conversation read, and sends replies optimistically. Everything lands in the reducer
// of inbox-state.ts, which decides how answers and events merge.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import type {
  ConversationCounts,
  ConversationStatus,
  ConversationsResponse,
  CreateNoteResponse,
  LiveEvent,
  MessagesResponse,
  SendMessageRequest,
  SendMessageResponse,
  UpdateConversationRequest,
  UpdateConversationResponse,
} from '../api/contract.ts';
import { apiGet, apiPatch, apiPost } from '../api/request.ts';
import { type LiveStatus, useLiveEvents } from '../frame/live-events.tsx';
import { conversationPath, conversationsPath } from './inbox-paths.ts';
import {
  type InboxState,
  inboxReducer,
  initialInboxState,
  type ListQuery,
  type ThreadMessage,
} from './inbox-state.ts';
import { useConversationCounts } from './use-conversation-counts.ts';
import { useMarkRead } from './use-mark-read.ts';

export type SendResult = { ok: true } | { ok: false; error: ApiError };

export type Inbox = {
  state: InboxState;
  live: LiveStatus;
  /** Bumped whenever the Meta connection may have changed, so the composer re-reads it. */
  connectionVersion: number;
  /** Changes part of what the list shows (channel, status, sort, search text). */
  changeQuery: (change: Partial<ListQuery>) => void;
  /** Resolves or reopens a conversation; rejects with the server's error. */
  setStatus: (conversationId: string, status: ConversationStatus) => Promise<void>;
  /** Assigns a conversation to a member, or to nobody (null); rejects with the server's error. */
  assign: (conversationId: string, assigneeId: string | null) => Promise<void>;
  /** Open conversations that are mine and unassigned; null until first loaded. */
  counts: ConversationCounts | null;
  retryList: () => void;
  loadMoreConversations: () => void;
  retryThread: () => void;
  loadOlderMessages: (conversationId: string) => void;
  send: (conversationId: string, text: string) => Promise<SendResult>;
  /** Adds an internal note (never sent to the customer); it joins the thread once the server has it. */
  addNote: (conversationId: string, text: string) => Promise<SendResult>;
};

let localIds = 0;

export function useInbox(openId: string | null, userId: string | null = null): Inbox {
  const [state, dispatch] = useReducer(inboxReducer, undefined, () => initialInboxState(undefined, userId));
  const [listAttempt, setListAttempt] = useState(0);
  const [threadAttempt, setThreadAttempt] = useState(0);
  const [connectionVersion, setConnectionVersion] = useState(0);
  const query = state.list.query;
  const { channel, status, sort, q, assignee } = query;
  // The query as of the last render, for callbacks that must not change identity with it.
  const queryRef = useRef(query);
  queryRef.current = query;

  // ---- the list ----
  // biome-ignore lint/correctness/useExhaustiveDependencies: `listAttempt` is the retry trigger; the query is its four fields.
  useEffect(() => {
    const controller = new AbortController();
    const asked = queryRef.current;
    apiGet<ConversationsResponse>(conversationsPath(asked), controller.signal).then(
      (page) => {
        if (!controller.signal.aborted) dispatch({ type: 'list/loaded', query: asked, page, mode: 'first' });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        dispatch({ type: 'list/failed', query: asked, error: ApiError.from(error), mode: 'first' });
      },
    );
    return () => controller.abort();
  }, [channel, status, sort, q, assignee, listAttempt]);

  // ---- the Mine and Unassigned counts ----
  const { counts, recount } = useConversationCounts();

  const changeQuery = useCallback((change: Partial<ListQuery>) => {
    dispatch({ type: 'list/requested', query: { ...queryRef.current, ...change } });
  }, []);

  const retryList = useCallback(() => {
    dispatch({ type: 'list/requested', query: queryRef.current });
    setListAttempt((n) => n + 1);
  }, []);

  const { nextCursor: listCursor, more } = state.list;
  const loadMoreConversations = useCallback(() => {
    if (!listCursor || more === 'loading') return;
    dispatch({ type: 'list/more-requested' });
    const asked = queryRef.current;
    apiGet<ConversationsResponse>(conversationsPath(asked, listCursor)).then(
      (page) => dispatch({ type: 'list/loaded', query: asked, page, mode: 'more' }),
      (error: unknown) =>
        dispatch({ type: 'list/failed', query: asked, error: ApiError.from(error), mode: 'more' }),
    );
  }, [listCursor, more]);

  /** The first page again, merged into what is shown (after a reconnect). */
  const refreshList = useCallback(() => {
    const asked = queryRef.current;
    apiGet<ConversationsResponse>(conversationsPath(asked)).then(
      (page) => dispatch({ type: 'list/loaded', query: asked, page, mode: 'first' }),
      (error: unknown) =>
        dispatch({ type: 'list/failed', query: asked, error: ApiError.from(error), mode: 'first' }),
    );
  }, []);

  // ---- status ----
  const setStatus = useCallback(
    async (conversationId: string, next: ConversationStatus) => {
      const body: UpdateConversationRequest = { status: next };
      const { conversation } = await apiPatch<UpdateConversationResponse>(
        conversationPath(conversationId, ''),
        body,
      );
      dispatch({ type: 'conversation/updated', conversation });
      recount();
    },
    [recount],
  );

  const assign = useCallback(
    async (conversationId: string, assigneeId: string | null) => {
      const body: UpdateConversationRequest = { assignee_id: assigneeId };
      const { conversation } = await apiPatch<UpdateConversationResponse>(
        conversationPath(conversationId, ''),
        body,
      );
      dispatch({ type: 'conversation/updated', conversation });
      recount();
    },
    [recount],
  );

  // ---- the open thread ----
  const loadNewestMessages = useCallback((id: string, signal?: AbortSignal) => {
    apiGet<MessagesResponse>(conversationPath(id, '/messages'), signal).then(
      (page) => {
        if (!signal?.aborted) dispatch({ type: 'thread/loaded', id, page, mode: 'newest' });
      },
      (error: unknown) => {
        if (!signal?.aborted)
          dispatch({ type: 'thread/failed', id, error: ApiError.from(error), mode: 'newest' });
      },
    );
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `threadAttempt` is the retry trigger.
  useEffect(() => {
    if (!openId) return;
    const controller = new AbortController();
    dispatch({ type: 'thread/requested', id: openId });
    loadNewestMessages(openId, controller.signal);
    return () => controller.abort();
  }, [openId, threadAttempt, loadNewestMessages]);

  const retryThread = useCallback(() => setThreadAttempt((n) => n + 1), []);

  const threads = state.threads;
  const loadOlderMessages = useCallback(
    (id: string) => {
      const thread = threads[id];
      if (!thread?.nextCursor || thread.older === 'loading') return;
      dispatch({ type: 'thread/older-requested', id });
      apiGet<MessagesResponse>(conversationPath(id, '/messages', thread.nextCursor)).then(
        (page) => dispatch({ type: 'thread/loaded', id, page, mode: 'older' }),
        (error: unknown) =>
          dispatch({ type: 'thread/failed', id, error: ApiError.from(error), mode: 'older' }),
      );
    },
    [threads],
  );

  // ---- mark as read: on opening, and whenever a customer writes while it is open ----
  const markRead = useMarkRead(dispatch);
  useEffect(() => {
    if (openId) markRead(openId);
  }, [openId, markRead]);

  // ---- live updates ----
  const onEvent = (event: LiveEvent) => {
    switch (event.type) {
      case 'message.created':
      case 'message.updated':
        dispatch({ type: 'message/received', conversationId: event.conversation_id, message: event.message });
        if (
          event.type === 'message.created' &&
          event.message.direction === 'inbound' &&
          event.conversation_id === openId
        ) {
          markRead(openId);
        }
        return;
      case 'conversation.updated':
        dispatch({ type: 'conversation/updated', conversation: event.conversation });
        recount();
        return;
      case 'connection.updated':
        setConnectionVersion((n) => n + 1);
        return;
    }
  };

  const onReconnect = () => {
    refreshList();
    recount();
    if (openId) {
      loadNewestMessages(openId);
      markRead(openId);
    }
    setConnectionVersion((n) => n + 1);
  };

  const live = useLiveEvents({ onEvent, onReconnect });

  // ---- sending ----
  // Sends leave in the order they were written: each POST waits for the one before it.
  const sendQueue = useRef<Promise<unknown>>(Promise.resolve());
  const send = useCallback(async (conversationId: string, text: string): Promise<SendResult> => {
    const localId = `local-${++localIds}`;
    const pending: ThreadMessage = {
      id: localId,
      localId,
      clientKey: localId,
      mid: null,
      direction: 'outbound',
      text,
      attachments: [],
      status: 'pending',
      sent_at: new Date().toISOString(),
    };
    dispatch({ type: 'send/started', conversationId, message: pending });
    const body: SendMessageRequest = { text };
    const request = sendQueue.current.then(() =>
      apiPost<SendMessageResponse>(conversationPath(conversationId, '/messages'), body),
    );
    sendQueue.current = request.catch(() => {});
    try {
      const { message } = await request;
      dispatch({ type: 'send/succeeded', conversationId, localId, message });
      return { ok: true };
    } catch (thrown) {
      const error = ApiError.from(thrown);
      dispatch({ type: 'send/failed', conversationId, localId, reason: error.message });
      if (error.code === 'not_connected' || error.code === 'reauth_required') {
        setConnectionVersion((n) => n + 1);
      }
      return { ok: false, error };
    }
  }, []);

  const addNote = useCallback(async (conversationId: string, text: string): Promise<SendResult> => {
    try {
      const body = { text };
      const { message } = await apiPost<CreateNoteResponse>(conversationPath(conversationId, '/notes'), body);
      dispatch({ type: 'message/received', conversationId, message });
      return { ok: true };
    } catch (thrown) {
      return { ok: false, error: ApiError.from(thrown) };
    }
  }, []);

  return {
    addNote,
    state,
    live,
    connectionVersion,
    changeQuery,
    setStatus,
    assign,
    counts,
    retryList,
    loadMoreConversations,
    retryThread,
    loadOlderMessages,
    send,
  };
}

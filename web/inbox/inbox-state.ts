// The inbox's data, in one reducer: the conversation list, the newest view of every conversation seen,
// and each opened thread. Everything that changes it — page loads, live events, sends, mark-read answers —
// is an action, so the same merge rules apply whichever arrives first (an SSE event can beat the POST
// that caused it; a refetch can overlap an event). It runs past 300 lines on purpose: the merge rules
// below must be read together, and splitting the reducer would scatter them across files.
//
// The rules:
// - A conversation is kept once, in `known`, as the newest view of it; the list holds only ids, sorted
//   newest first by `updated_at` (or oldest waiting first), so an update anywhere reorders the list. A
//   conversation whose status leaves the list's filter (resolved under Open) leaves the list. Search
//   results keep the server's order and gain no other conversations; their matches live in the list.
// - A message is kept once per thread, by id. Its status never moves backwards (pending → sent →
//   delivered → read), whatever order the updates arrive in.
// - An optimistic message has a `localId` until the server answers; the server's copy takes its place,
//   whether it comes as the POST answer or, first, as the `message.created` event of our own send.
import type { ApiError } from '../api/api-error.ts';
import type {
  Channel,
  ConversationSort,
  ConversationStatusFilter,
  ConversationsResponse,
  ConversationView,
  MessageStatus,
  MessagesResponse,
  MessageView,
  SearchMatch,
} from '../api/contract.ts';

export type ChannelFilter = Channel | 'all';

/** What the list shows: one channel or all, one status or all, in which order, matching what search. */
export type ListQuery = {
  channel: ChannelFilter;
  status: ConversationStatusFilter;
  sort: ConversationSort;
  /** The search box's text; '' when not searching. */
  q: string;
  /** Everyone's, the signed-in member's (Mine), or nobody's (Unassigned). */
  assignee: AssigneeFilter;
};

export type AssigneeFilter = 'any' | 'me' | 'unassigned';

export const defaultListQuery: ListQuery = {
  channel: 'all',
  status: 'open',
  sort: 'recent',
  q: '',
  assignee: 'any',
};

export function sameQuery(a: ListQuery, b: ListQuery): boolean {
  return (
    a.channel === b.channel &&
    a.status === b.status &&
    a.sort === b.sort &&
    a.q === b.q &&
    a.assignee === b.assignee
  );
}

export type ThreadMessage = MessageView & {
  /** Set while the message exists only in this browser (an optimistic send). */
  localId?: string;
  /** The optimistic copy's id, kept by the server's copy that replaces it, so the bubble stays the same
   * element (a live region would otherwise announce it twice). */
  clientKey?: string;
};

export type LoadStatus = 'loading' | 'ready' | 'error';
export type MoreStatus = 'idle' | 'loading' | 'error';

export type ListState = {
  query: ListQuery;
  status: LoadStatus;
  error: ApiError | null;
  /** Newest first; each id is in `known`. */
  ids: string[];
  nextCursor: string | null;
  more: MoreStatus;
  /** Search results only: each hit's newest matching message (null when the name matched). */
  matches: Record<string, SearchMatch>;
};

export type ThreadState = {
  status: LoadStatus;
  error: ApiError | null;
  /** Oldest first, as displayed (the API pages newest first). */
  messages: ThreadMessage[];
  nextCursor: string | null;
  older: MoreStatus;
};

export type InboxState = {
  list: ListState;
  /** The newest view of every conversation seen, by id: the thread reads it even when the list is
   * filtered to another channel or hasn't paged that far. */
  known: Record<string, ConversationView>;
  threads: Record<string, ThreadState>;
  /** The signed-in member, for the Mine view (null in tests that do not need it). */
  userId: string | null;
};

export type InboxAction =
  | { type: 'list/requested'; query: ListQuery }
  | { type: 'list/loaded'; query: ListQuery; page: ConversationsResponse; mode: 'first' | 'more' }
  | { type: 'list/failed'; query: ListQuery; error: ApiError; mode: 'first' | 'more' }
  | { type: 'list/more-requested' }
  | { type: 'thread/requested'; id: string }
  | { type: 'thread/loaded'; id: string; page: MessagesResponse; mode: 'newest' | 'older' }
  | { type: 'thread/failed'; id: string; error: ApiError; mode: 'newest' | 'older' }
  | { type: 'thread/older-requested'; id: string }
  | { type: 'conversation/updated'; conversation: ConversationView }
  | { type: 'message/received'; conversationId: string; message: MessageView }
  | { type: 'send/started'; conversationId: string; message: ThreadMessage }
  | { type: 'send/succeeded'; conversationId: string; localId: string; message: MessageView }
  | { type: 'send/failed'; conversationId: string; localId: string; reason: string };

export function initialInboxState(
  query: ListQuery = defaultListQuery,
  userId: string | null = null,
): InboxState {
  return {
    list: {
      query,
      status: 'loading',
      error: null,
      ids: [],
      nextCursor: null,
      more: 'idle',
      matches: {},
    },
    known: {},
    threads: {},
    userId,
  };
}

const emptyThread: ThreadState = {
  status: 'loading',
  error: null,
  messages: [],
  nextCursor: null,
  older: 'idle',
};

export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case 'list/requested': {
      // Another query starts over; the same one again only leaves an error (a retry).
      if (sameQuery(action.query, state.list.query) && state.list.status !== 'error') return state;
      return { ...state, list: initialInboxState(action.query).list };
    }
    case 'list/loaded': {
      if (!sameQuery(action.query, state.list.query)) return state;
      const known = action.page.conversations.reduce(rememberConversation, state.known);
      const pageIds = action.page.conversations.map((conversation) => conversation.id);
      if (action.query.q !== '') {
        // Search results: the server's order and matches, replaced whole by each answer.
        const matches: Record<string, SearchMatch> = {};
        for (const c of action.page.conversations) matches[c.id] = c.match ?? null;
        return {
          ...state,
          known,
          list: {
            ...state.list,
            status: 'ready',
            error: null,
            ids: pageIds,
            nextCursor: null,
            more: 'idle',
            matches,
          },
        };
      }
      // A refresh of the first page merges into what is loaded, so pages already fetched stay, and so
      // does their cursor; the very first answer sets it.
      const first = action.mode === 'first';
      const keepCursor = first && state.list.status === 'ready' && state.list.ids.length > pageIds.length;
      const list: ListState = {
        ...state.list,
        status: 'ready',
        error: null,
        ids: sortIds(known, union(state.list.ids, pageIds), state.list.query.sort),
        nextCursor: keepCursor ? state.list.nextCursor : action.page.next_cursor,
        more: 'idle',
      };
      return { ...state, known, list };
    }
    case 'list/failed': {
      if (!sameQuery(action.query, state.list.query)) return state;
      if (action.mode === 'more') return { ...state, list: { ...state.list, more: 'error' } };
      // A failed background refresh leaves the loaded list alone.
      if (state.list.status === 'ready') return state;
      return { ...state, list: { ...state.list, status: 'error', error: action.error } };
    }
    case 'list/more-requested':
      return { ...state, list: { ...state.list, more: 'loading' } };

    case 'thread/requested': {
      const thread = state.threads[action.id];
      if (thread && thread.status !== 'error') return state;
      return withThread(state, action.id, { ...(thread ?? emptyThread), status: 'loading', error: null });
    }
    case 'thread/loaded': {
      const thread = state.threads[action.id] ?? emptyThread;
      // Oldest first, so messages sharing a timestamp keep the API's order.
      const messages = [...action.page.messages]
        .reverse()
        .reduce((list, message) => upsertMessage(list, message), thread.messages);
      // A refresh of the newest page keeps the cursor of older pages already loaded.
      const keepCursor = action.mode === 'newest' && thread.status === 'ready';
      return withThread(state, action.id, {
        status: 'ready',
        error: null,
        messages: sortMessages(messages),
        nextCursor: keepCursor ? thread.nextCursor : action.page.next_cursor,
        older: 'idle',
      });
    }
    case 'thread/failed': {
      const thread = state.threads[action.id] ?? emptyThread;
      if (action.mode === 'older') return withThread(state, action.id, { ...thread, older: 'error' });
      if (thread.status === 'ready') return state;
      return withThread(state, action.id, { ...thread, status: 'error', error: action.error });
    }
    case 'thread/older-requested': {
      const thread = state.threads[action.id];
      return thread ? withThread(state, action.id, { ...thread, older: 'loading' }) : state;
    }

    case 'conversation/updated': {
      const known = rememberConversation(state.known, action.conversation);
      return { ...state, known, list: placeInList(state.list, known, action.conversation, state.userId) };
    }
    case 'message/received':
      return receiveMessage(state, action.conversationId, action.message);

    case 'send/started': {
      const thread = state.threads[action.conversationId] ?? { ...emptyThread, status: 'ready' as const };
      // Sending the same text again retries it: the failed copy gives way to the new one.
      const messages = thread.messages.filter(
        (message) =>
          !(message.localId && message.status === 'failed' && message.text === action.message.text),
      );
      return withThread(state, action.conversationId, {
        ...thread,
        messages: [...messages, action.message],
      });
    }
    case 'send/succeeded': {
      const thread = state.threads[action.conversationId];
      if (!thread) return receiveMessage(state, action.conversationId, action.message);
      const alreadyHere = thread.messages.some((message) => message.id === action.message.id);
      const messages = alreadyHere
        ? thread.messages.filter((message) => message.localId !== action.localId)
        : thread.messages.map((message) =>
            message.localId === action.localId
              ? { ...action.message, clientKey: message.clientKey }
              : message,
          );
      const next = withThread(state, action.conversationId, { ...thread, messages });
      return receiveMessage(next, action.conversationId, action.message);
    }
    case 'send/failed': {
      const thread = state.threads[action.conversationId];
      if (!thread) return state;
      // By clientKey too: the server's copy, announced live before the POST answered, took the place of
      // the pending one (upsertMessage) and keeps its key.
      const messages = thread.messages.map((message) =>
        message.localId === action.localId || message.clientKey === action.localId
          ? { ...message, status: 'failed' as const, failure_reason: action.reason }
          : message,
      );
      return withThread(state, action.conversationId, { ...thread, messages });
    }
  }
}

/** A new or changed message: into its thread (if opened), and into its conversation's preview. */
function receiveMessage(state: InboxState, conversationId: string, message: MessageView): InboxState {
  let next = state;
  const thread = state.threads[conversationId];
  if (thread) {
    next = withThread(next, conversationId, {
      ...thread,
      messages: sortMessages(upsertMessage(thread.messages, message)),
    });
  }

  // A note is for the team: the list's preview and order stay on what the customer saw (as the server's).
  if (message.kind === 'note') return next;
  const conversation = next.known[conversationId];
  if (!conversation) return next; // `conversation.updated` follows with the whole conversation.
  const last = conversation.last_message;
  const isLast = last?.id === message.id;
  if (last && !isLast && Date.parse(message.sent_at) < Date.parse(last.sent_at)) return next;
  const updated: ConversationView = {
    ...conversation,
    last_message: isLast && last ? mergeMessage(last, message) : message,
    updated_at: later(conversation.updated_at, message.sent_at),
  };
  const known = { ...next.known, [conversationId]: updated };
  return { ...next, known, list: placeInList(next.list, known, updated, next.userId) };
}

const statusRank: Record<MessageStatus, number> = {
  received: 0,
  pending: 0,
  failed: 1,
  sent: 2,
  delivered: 3,
  read: 4,
};

/** The incoming copy wins (a reaction, an unsend), except that its status never moves backwards. */
export function mergeMessage<T extends MessageView>(current: T, incoming: MessageView): T {
  const status = statusRank[incoming.status] >= statusRank[current.status] ? incoming.status : current.status;
  return { ...current, ...incoming, status };
}

function upsertMessage(messages: ThreadMessage[], incoming: MessageView): ThreadMessage[] {
  const index = messages.findIndex((message) => message.id === incoming.id);
  if (index >= 0) {
    const current = messages[index]!;
    const merged = mergeMessage(current, incoming);
    return messages.map((message, i) => (i === index ? merged : message));
  }
  // Our own send, announced by the server before the POST answered: it replaces the pending copy.
  if (incoming.direction === 'outbound' && incoming.kind !== 'note') {
    const pending = messages.findIndex(
      (message) => message.localId && message.status === 'pending' && message.text === incoming.text,
    );
    if (pending >= 0) {
      return messages.map((message, i) =>
        i === pending ? { ...incoming, clientKey: message.clientKey } : message,
      );
    }
  }
  return [...messages, { ...incoming }];
}

/**
 * Oldest first by `sent_at`; messages still only in this browser go last (their time is this browser's
 * clock). The sort is stable, so messages with the same time keep their order.
 */
function sortMessages(messages: ThreadMessage[]): ThreadMessage[] {
  const key = (message: ThreadMessage) =>
    message.localId ? Number.POSITIVE_INFINITY : Date.parse(message.sent_at);
  return [...messages].sort((a, b) => key(a) - key(b));
}

function rememberConversation(
  known: Record<string, ConversationView>,
  conversation: ConversationView,
): Record<string, ConversationView> {
  const current = known[conversation.id];
  // An older copy (a page fetched before an event) never overwrites a newer one.
  if (current && Date.parse(conversation.updated_at) < Date.parse(current.updated_at)) return known;
  return { ...known, [conversation.id]: conversation };
}

/** Puts a conversation where it now belongs in the list, if the list shows it at all. */
function placeInList(
  list: ListState,
  known: Record<string, ConversationView>,
  conversation: ConversationView,
  userId: string | null,
) {
  if (list.status !== 'ready') return list;
  const { query } = list;
  if (query.channel !== 'all' && query.channel !== conversation.channel) return list;
  const present = list.ids.includes(conversation.id);
  const assigneeId = conversation.assignee?.id ?? null;
  const outOfView =
    (query.status !== 'all' && conversation.status !== query.status) ||
    (query.assignee === 'unassigned' && assigneeId !== null) ||
    (query.assignee === 'me' && (assigneeId === null || assigneeId !== userId));
  if (outOfView) {
    return present ? { ...list, ids: list.ids.filter((id) => id !== conversation.id) } : list;
  }
  // Search results are what the server matched; a live change updates them but adds none.
  if (query.q !== '') return list;
  if (!present && list.nextCursor !== null) {
    // Older than everything loaded: it belongs on a page not fetched yet, and comes with "Load more".
    const lastId = list.ids.at(-1);
    const oldest = lastId ? known[lastId] : undefined;
    if (oldest && compareConversations(conversation, oldest, query.sort) > 0) return list;
  }
  return { ...list, ids: sortIds(known, present ? list.ids : [...list.ids, conversation.id], query.sort) };
}

/**
 * The server's two orders (CONTRACT §6 `sort`): `recent`, newest activity first; `waiting`, the longest
 * waiting first, then the answered ones newest first. Negative when `a` comes first.
 */
export function compareConversations(
  a: ConversationView,
  b: ConversationView,
  sort: ConversationSort,
): number {
  const time = (iso: string | null) => (iso ? Date.parse(iso) || 0 : 0);
  if (sort === 'waiting') {
    if (a.waiting_since && b.waiting_since) return time(a.waiting_since) - time(b.waiting_since);
    if (a.waiting_since) return -1;
    if (b.waiting_since) return 1;
  }
  return time(b.updated_at) - time(a.updated_at);
}

function sortIds(known: Record<string, ConversationView>, ids: string[], sort: ConversationSort): string[] {
  return [...ids].sort((a, b) => {
    const x = known[a];
    const y = known[b];
    return x && y ? compareConversations(x, y, sort) : 0;
  });
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

function later(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function withThread(state: InboxState, id: string, thread: ThreadState): InboxState {
  return { ...state, threads: { ...state.threads, [id]: thread } };
}

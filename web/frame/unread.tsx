// What is waiting for the signed-in member, app-wide: the number of conversations with unread customer
// messages (shown in the tab title, "(3) Inbox · Parley") and of their unread @mentions (shown by the
// inbox's Mentions button). Both come from GET /api/inbox/unread, asked again (at most every 300 ms)
// whenever a conversation changes — reading one, a new message —, the member's mentions are read in
// any tab (`mentions.read`), or the live stream reconnects; a mention event counts at once. The same
// listener decides on desktop notifications (notification-decision.ts): a new customer message is
// judged with its conversation, which the server publishes right after it (`message.created`, then
// `conversation.updated`).
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useLocation } from 'wouter';
import type { MentionsReadResponse, MessageView, UnreadSummary } from '../api/contract.ts';
import { apiGet, apiPost } from '../api/request.ts';
import { useSignedInSession } from '../session/session-context.tsx';
import { useThrottledVersion } from '../ui/use-throttled-version.ts';
import { notificationPermission, notificationsChosen, showNotification } from './desktop-notifications.ts';
import { useLiveEvents } from './live-events.tsx';
import {
  mayShowNotification,
  mentionNotification,
  messageNotification,
  type NotificationSpec,
} from './notification-decision.ts';

const REFRESH_DELAY_MS = 300;

type UnreadValue = {
  summary: UnreadSummary | null;
  /** The inbox opened a conversation (or closed it, null): its mentions of me are read. */
  conversationOpened: (conversationId: string | null) => void;
};

const UnreadContext = createContext<UnreadValue | null>(null);

export function UnreadProvider({ children }: { children: ReactNode }) {
  const { user } = useSignedInSession();
  const [, navigate] = useLocation();
  const [summary, setSummary] = useState<UnreadSummary | null>(null);
  const [version, refresh] = useThrottledVersion(REFRESH_DELAY_MS);
  const openId = useRef<string | null>(null);
  // New customer messages waiting for their conversation's update, by conversation.
  const arrived = useRef(new Map<string, MessageView>());

  // biome-ignore lint/correctness/useExhaustiveDependencies: each new version asks again.
  useEffect(() => {
    const controller = new AbortController();
    apiGet<UnreadSummary>('/api/inbox/unread', controller.signal).then(
      (answer) => {
        if (!controller.signal.aborted) setSummary(answer);
      },
      // The title simply keeps its last number; the next change asks again.
      () => {},
    );
    return () => controller.abort();
  }, [version]);

  const readMentions = useCallback((conversationId: string) => {
    apiPost<MentionsReadResponse>(
      `/api/conversations/${encodeURIComponent(conversationId)}/mentions/read`,
    ).then(
      ({ unread_count }) => setSummary((s) => (s ? { ...s, mentions: unread_count } : s)),
      () => {},
    );
  }, []);

  // Only while I have unread mentions somewhere (mostly I have none: no request on each opening).
  const [opened, setOpened] = useState<string | null>(null);
  const anyMentions = (summary?.mentions ?? 0) > 0;
  useEffect(() => {
    if (opened && anyMentions) readMentions(opened);
  }, [opened, anyMentions, readMentions]);
  const conversationOpened = useCallback((conversationId: string | null) => {
    openId.current = conversationId;
    setOpened(conversationId);
  }, []);

  const notify = (spec: NotificationSpec) => {
    const state = {
      enabled: notificationsChosen(),
      permission: notificationPermission(),
      hidden: document.hidden,
    };
    if (mayShowNotification(state))
      showNotification(spec, (id) => navigate(`/inbox/${encodeURIComponent(id)}`));
  };

  useLiveEvents({
    onEvent: (event) => {
      switch (event.type) {
        case 'message.created':
          if (event.message.direction === 'inbound' && event.message.kind !== 'note')
            arrived.current.set(event.conversation_id, event.message);
          return;
        case 'conversation.updated': {
          refresh();
          const message = arrived.current.get(event.conversation.id);
          if (!message) return;
          arrived.current.delete(event.conversation.id);
          const spec = messageNotification(message, event.conversation, user.id);
          if (spec) notify(spec);
          return;
        }
        case 'mention': {
          if (event.recipient_id !== user.id) return;
          // Being read right now: seen already.
          if (event.conversation_id === openId.current && !document.hidden) {
            readMentions(event.conversation_id);
            return;
          }
          setSummary((s) => (s ? { ...s, mentions: s.mentions + 1 } : s));
          const spec = mentionNotification(event, user.id);
          if (spec) notify(spec);
          return;
        }
        // Read in another tab or on another device (or in this one: the count is asked again either
        // way, since mentions may have arrived since the server counted).
        case 'mentions.read':
          if (event.recipient_id === user.id) refresh();
          return;
        default:
          return;
      }
    },
    onReconnect: refresh,
  });

  const value = useMemo(() => ({ summary, conversationOpened }), [summary, conversationOpened]);
  return <UnreadContext value={value}>{children}</UnreadContext>;
}

/** The member's unread numbers; null outside the signed-in frame (sign-in pages have none). */
export function useUnread(): UnreadValue | null {
  return useContext(UnreadContext);
}

// The organization's live updates: `GET /api/events` as Server-Sent Events (same origin, so the session
// cookie goes along). One stream for the whole signed-in app, opened by the frame: the inbox, the Meta
// card and the health banner all listen to it through `useLiveEvents`, so a page never opens a second one.
//
// EventSource reconnects by itself after a dropped stream (the server also ends each stream after a while
// on purpose); every open after the first calls each listener's `onReconnect`, so a screen can refetch
// whatever it missed meanwhile. If the browser gives up (the server answered with an error status, e.g.
// during a deploy), a new EventSource is started after a pause.
//
// A stream the server ends because its session or user ended (logout elsewhere, removal from the team,
// password change) first sends `session.ended`: the app asks /api/auth/me at once, and its 401 signs the
// tab out (a password change keeps this session, so /me answers 200 and the stream simply reconnects;
// an organization that now requires two-factor sign-in holds the tab at its setup).
import {
  createContext,
  type ReactNode,
  type RefObject,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { LiveEvent } from '../api/contract.ts';
import { SESSION_CHECK_EVENT } from '../api/request.ts';

export const LIVE_EVENTS_PATH = '/api/events';

const liveEventTypes: LiveEvent['type'][] = [
  'message.created',
  'message.updated',
  'conversation.updated',
  'connection.updated',
  'presence',
  'mention',
  'mentions.read',
];

/** Sent by the server just before it ends a stream whose session ended. */
const SESSION_ENDED = 'session.ended';

const RESTART_DELAY_MS = 5_000;

/** `connecting` until the first open; `reconnecting` while a dropped stream is being re-established. */
export type LiveStatus = 'off' | 'connecting' | 'live' | 'reconnecting';

export type LiveHandlers = {
  onEvent?: (event: LiveEvent) => void;
  /** The stream opened again after a gap: events may have been missed. */
  onReconnect?: () => void;
};

type LiveEventsValue = {
  status: LiveStatus;
  subscribe: (listener: RefObject<LiveHandlers>) => () => void;
};

const LiveEventsContext = createContext<LiveEventsValue | null>(null);

export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<RefObject<LiveHandlers>>());
  const [status, setStatus] = useState<LiveStatus>(() =>
    typeof EventSource === 'undefined' ? 'off' : 'connecting',
  );

  useEffect(() => {
    // Without EventSource (old browsers, jsdom) live updates are off; screens still load on arrival.
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let restartTimer: ReturnType<typeof setTimeout> | undefined;
    // After the first open, or after any failure, the next open may have missed events.
    let mayHaveMissed = false;
    let everOpened = false;

    // A copy: a listener may unsubscribe (its screen unmounts) while the others are being called.
    const each = (call: (handlers: LiveHandlers) => void) => {
      for (const listener of [...listeners.current]) call(listener.current);
    };

    const onMessage = (message: MessageEvent) => {
      const event = parseLiveEvent(message);
      if (event) each((handlers) => handlers.onEvent?.(event));
    };

    const checkSession = () => window.dispatchEvent(new Event(SESSION_CHECK_EVENT));

    const start = () => {
      const current = new EventSource(LIVE_EVENTS_PATH);
      source = current;
      for (const type of liveEventTypes) current.addEventListener(type, onMessage);
      current.addEventListener(SESSION_ENDED, checkSession);
      current.onopen = () => {
        setStatus('live');
        if (mayHaveMissed) each((handlers) => handlers.onReconnect?.());
        mayHaveMissed = true;
        everOpened = true;
      };
      current.onerror = () => {
        mayHaveMissed = true;
        if (everOpened) setStatus('reconnecting');
        // CONNECTING means the browser retries by itself; CLOSED means it gave up.
        if (current.readyState === EventSource.CLOSED) {
          current.close();
          // The server refused the stream: maybe the session ended (removed from the team, password
          // reset, signed out elsewhere). Asking /me turns a 401 into the app-wide sign-out at once.
          checkSession();
          restartTimer = setTimeout(start, RESTART_DELAY_MS);
        }
      };
    };

    start();
    return () => {
      clearTimeout(restartTimer);
      source?.close();
    };
  }, []);

  const subscribe = useCallback((listener: RefObject<LiveHandlers>) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const value = useMemo(() => ({ status, subscribe }), [status, subscribe]);
  return <LiveEventsContext value={value}>{children}</LiveEventsContext>;
}

/** Listens to the shared stream while the calling component is mounted; returns the stream's status. */
export function useLiveEvents(handlers: LiveHandlers): LiveStatus {
  const context = useContext(LiveEventsContext);
  if (!context) throw new Error('useLiveEvents must be used inside <LiveEventsProvider>');
  // The latest handlers, without re-subscribing whenever they change.
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  const { subscribe } = context;
  useEffect(() => subscribe(latest), [subscribe]);
  return context.status;
}

function parseLiveEvent(message: MessageEvent): LiveEvent | null {
  try {
    const event: unknown = JSON.parse(String(message.data));
    if (typeof event !== 'object' || event === null || !('type' in event)) return null;
    return event.type === message.type ? (event as LiveEvent) : null;
  } catch {
    return null;
  }
}

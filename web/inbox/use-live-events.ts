// The organization's live updates: `GET /api/events` as Server-Sent Events (same origin, so the session
// cookie goes along). EventSource reconnects by itself after a dropped stream (the server also ends each
// stream after a while on purpose); every open after the first calls `onReconnect`, so the screen can
// refetch whatever it missed meanwhile. If the browser gives up (the server answered with an error
// status, e.g. during a deploy), a new EventSource is started after a pause.
import { useEffect, useRef, useState } from 'react';
import type { LiveEvent } from '../api/contract.ts';

export const LIVE_EVENTS_PATH = '/api/events';

const liveEventTypes: LiveEvent['type'][] = [
  'message.created',
  'message.updated',
  'conversation.updated',
  'connection.updated',
];

const RESTART_DELAY_MS = 5_000;

/** `connecting` until the first open; `reconnecting` while a dropped stream is being re-established. */
export type LiveStatus = 'off' | 'connecting' | 'live' | 'reconnecting';

export function useLiveEvents(handlers: {
  onEvent: (event: LiveEvent) => void;
  onReconnect: () => void;
}): LiveStatus {
  // The latest handlers, without reopening the stream whenever they change.
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  const [status, setStatus] = useState<LiveStatus>(() =>
    typeof EventSource === 'undefined' ? 'off' : 'connecting',
  );

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let restartTimer: ReturnType<typeof setTimeout> | undefined;
    // After the first open, or after any failure, the next open may have missed events.
    let mayHaveMissed = false;
    let everOpened = false;

    const onMessage = (message: MessageEvent) => {
      const event = parseLiveEvent(message);
      if (event) latest.current.onEvent(event);
    };

    const start = () => {
      const current = new EventSource(LIVE_EVENTS_PATH);
      source = current;
      for (const type of liveEventTypes) current.addEventListener(type, onMessage);
      current.onopen = () => {
        setStatus('live');
        if (mayHaveMissed) latest.current.onReconnect();
        mayHaveMissed = true;
        everOpened = true;
      };
      current.onerror = () => {
        mayHaveMissed = true;
        if (everOpened) setStatus('reconnecting');
        // CONNECTING means the browser retries by itself; CLOSED means it gave up.
        if (current.readyState === EventSource.CLOSED) {
          current.close();
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

  return status;
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

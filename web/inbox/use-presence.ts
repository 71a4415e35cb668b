// Presence in the open thread (issue 12 item 6): says `viewing` when the thread opens and every 15 s
// while the tab is visible, `typing` at most every 3 s while keys are pressed in the composer, `left`
// when the thread closes (and, as the page goes away, with a keepalive fetch). It learns who is already
// there from GET …/presence and keeps up from the live stream's `presence` events; each member also
// fades out on this side after the server's timings (plus a margin), so a member whose instance died
// without saying `left` does not stay "viewing" forever. The signed-in member is never listed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LiveEvent, PresenceResponse, PresenceState } from '../api/contract.ts';
import type { ApiPath } from '../api/request.ts';
import { apiGet, apiPost, apiPostOnUnload } from '../api/request.ts';
import { useLiveEvents } from '../frame/live-events.tsx';

export const HEARTBEAT_MS = 15_000;
export const TYPING_EVERY_MS = 3_000;
/** The server's 40 s and 6 s, with a margin for a late heartbeat. */
const VIEWING_HOLD_MS = 45_000;
const TYPING_HOLD_MS = 7_000;

export interface PresentMember {
  id: string;
  name: string;
  state: 'viewing' | 'typing';
}

type Entry = { id: string; name: string; since: number; viewingUntil: number; typingUntil: number };
type Entries = Record<string, Entry>;

function applyState(entries: Entries, user: { id: string; name: string }, state: PresenceState, at: number) {
  if (state === 'left') {
    if (!entries[user.id]) return entries;
    const { [user.id]: _gone, ...rest } = entries;
    return rest;
  }
  const before = entries[user.id];
  return {
    ...entries,
    [user.id]: {
      id: user.id,
      name: user.name,
      since: before?.since ?? at,
      viewingUntil: at + VIEWING_HOLD_MS,
      typingUntil: state === 'typing' ? at + TYPING_HOLD_MS : 0,
    },
  };
}

export function usePresence(conversationId: string | null, selfId: string | null) {
  const [entries, setEntries] = useState<Entries>({});
  const [now, setNow] = useState(() => Date.now());
  const lastTyping = useRef(0);
  const path: ApiPath | null = conversationId
    ? `/api/conversations/${encodeURIComponent(conversationId)}/presence`
    : null;

  const load = useCallback(
    (signal?: AbortSignal) => {
      if (!path) return;
      apiGet<PresenceResponse>(path, signal)
        .then((body) => {
          const at = Date.now();
          setEntries((current) => {
            let next = current;
            for (const m of body.members) {
              if (m.user.id === selfId || next[m.user.id]) continue;
              next = applyState(next, m.user, m.state, at);
              const since = Date.parse(m.since);
              if (!Number.isNaN(since)) next[m.user.id]!.since = since;
            }
            return next;
          });
          setNow(at);
        })
        .catch(() => undefined);
    },
    [path, selfId],
  );

  useEffect(() => {
    setEntries({});
    lastTyping.current = 0;
    if (!path) return;
    const controller = new AbortController();
    const send = (state: PresenceState) => void apiPost(path, { state }).catch(() => undefined);
    const visible = () => document.visibilityState !== 'hidden';
    load(controller.signal);
    if (visible()) send('viewing');
    const heartbeat = setInterval(() => {
      if (visible()) send('viewing');
    }, HEARTBEAT_MS);
    const onVisibility = () => {
      if (visible()) send('viewing');
    };
    const onPageHide = () => apiPostOnUnload(path, { state: 'left' });
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      controller.abort();
      clearInterval(heartbeat);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onPageHide);
      send('left');
    };
  }, [path, load]);

  useLiveEvents({
    onEvent: (event: LiveEvent) => {
      if (event.type !== 'presence' || event.conversation_id !== conversationId) return;
      if (event.user.id === selfId) return;
      const at = Date.now();
      setEntries((current) => applyState(current, event.user, event.state, at));
      setNow(at);
    },
    // Events may have been missed while the stream was down.
    onReconnect: () => load(),
  });

  // Wake up at the next deadline, so a typing or viewing member fades out on time.
  const next = Object.values(entries)
    .flatMap((e) => [e.typingUntil, e.viewingUntil])
    .filter((t) => t > now)
    .reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  useEffect(() => {
    if (next === Number.POSITIVE_INFINITY) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, next - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [next]);

  const typing = useCallback(() => {
    if (!path) return;
    const at = Date.now();
    if (at - lastTyping.current < TYPING_EVERY_MS) return;
    lastTyping.current = at;
    void apiPost(path, { state: 'typing' }).catch(() => undefined);
  }, [path]);

  /** A reply went out: no longer typing (others would otherwise see it for up to 6 s more). */
  const stoppedTyping = useCallback(() => {
    if (!path || lastTyping.current === 0) return;
    lastTyping.current = 0;
    void apiPost(path, { state: 'viewing' }).catch(() => undefined);
  }, [path]);

  const members: PresentMember[] = Object.values(entries)
    .filter((e) => e.viewingUntil > now)
    .sort((a, b) => a.since - b.since)
    .map((e) => ({ id: e.id, name: e.name, state: e.typingUntil > now ? 'typing' : 'viewing' }));
  return { members, typing, stoppedTyping };
}

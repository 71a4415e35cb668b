// The organization's saved replies for the composer's `/` picker. Loaded once per page and shared by
// every composer (one per conversation opened), rather than by useApi in each: a page of replies would
// otherwise fetch the list again for every conversation. It is fetched again when Settings changed it
// (savedRepliesChanged) or when the picker opens and the list is more than a minute old, so another
// admin's edit shows up without a reload. Kept per organization, so a sign-in to another organization
// in the same page never shows the previous one's replies.
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { ApiError } from '../api/api-error.ts';
import type { SavedRepliesResponse, SavedReplyView } from '../api/contract.ts';
import { apiGet } from '../api/request.ts';

const FRESH_MS = 60_000;

type Entry = {
  orgId: string;
  replies: SavedReplyView[] | null;
  error: ApiError | null;
  loadedAt: number;
  stale: boolean;
};

let entry: Entry | null = null;
let ticket = 0;
let inFlight: { orgId: string; ticket: number } | null = null;
const listeners = new Set<() => void>();

function set(next: Entry | null) {
  entry = next;
  for (const listener of listeners) listener();
}

function load(orgId: string) {
  if (inFlight?.orgId === orgId) return;
  const mine = ++ticket;
  inFlight = { orgId, ticket: mine };
  apiGet<SavedRepliesResponse>('/api/saved-replies').then(
    (data) => {
      if (inFlight?.ticket !== mine) return;
      inFlight = null;
      set({ orgId, replies: data.saved_replies, error: null, loadedAt: Date.now(), stale: false });
    },
    (error: unknown) => {
      if (inFlight?.ticket !== mine) return;
      inFlight = null;
      const kept = entry?.orgId === orgId ? entry.replies : null;
      set({ orgId, replies: kept, error: ApiError.from(error), loadedAt: 0, stale: true });
    },
  );
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export function useSavedReplies(orgId: string): {
  replies: SavedReplyView[] | null;
  error: ApiError | null;
  /** Fetches again if Settings changed the list or it is over a minute old. */
  refresh: () => void;
} {
  const current = useSyncExternalStore(subscribe, () => entry);
  const refresh = useCallback(() => {
    if (!entry || entry.orgId !== orgId || entry.stale || Date.now() - entry.loadedAt > FRESH_MS) load(orgId);
  }, [orgId]);
  useEffect(refresh, [refresh]);
  const mine = current?.orgId === orgId ? current : null;
  return { replies: mine?.replies ?? null, error: mine?.error ?? null, refresh };
}

/** Settings added, changed or deleted one: composers fetch the list again when they next need it. */
export function savedRepliesChanged(): void {
  if (entry) set({ ...entry, stale: true });
}

/** Forgets the list (tests start each case from nothing). */
export function forgetSavedReplies(): void {
  inFlight = null;
  set(null);
}

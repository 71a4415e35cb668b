// Live updates for each organization's open browsers. publish() after a change is committed;
// subscribe() per Server-Sent Events stream. In one process an in-memory bus is enough; with REDIS_URL
// the Redis bus fans events out to every instance (redis-live-bus.ts). The same bus carries the order to
// end streams (session-ends.ts): a stream must stop at once when its session ends, on whichever instance
// it is open, and a second pub/sub path would be one more thing to keep working across instances.
import type { LiveEvent } from '../contract.ts';

export type LiveListener = (event: LiveEvent) => void;

/** Whose streams to end: one session's, or all of one user's. */
export type StreamsOf = { sessionIdHash: string } | { userId: string };
export type EndListener = (who: StreamsOf) => void;

export interface LiveBus {
  publish(orgId: string, event: LiveEvent): Promise<void>;
  /**
   * Resolves, with the unsubscribe function, once events published from now on will reach `listener`
   * (and orders to end streams, `onEnd`).
   */
  subscribe(orgId: string, listener: LiveListener, onEnd?: EndListener): Promise<() => void>;
  /** Tells every instance's streams of this organization that `who`'s streams must end. */
  endStreams(orgId: string, who: StreamsOf): Promise<void>;
  /**
   * False when no stream of this organization is open anywhere, so building its events can be skipped
   * (the webhook processor's views cost reads on the main thread). Absent: assume there may be.
   */
  mayHaveListeners?(orgId: string): boolean;
  close(): Promise<void>;
}

interface Subscriber {
  listener: LiveListener;
  onEnd?: EndListener;
}

/** Listeners per organization, in this process only. */
export class LocalListeners {
  private readonly byOrg = new Map<string, Set<Subscriber>>();

  add(
    orgId: string,
    listener: LiveListener,
    onEnd?: EndListener,
  ): { first: boolean; remove: () => { last: boolean } } {
    const existing = this.byOrg.get(orgId);
    const first = !existing;
    const set = existing ?? new Set<Subscriber>();
    if (first) this.byOrg.set(orgId, set);
    const entry: Subscriber = { listener, onEnd };
    set.add(entry);
    return {
      first,
      remove: () => {
        set.delete(entry);
        if (set.size > 0 || this.byOrg.get(orgId) !== set) return { last: false };
        this.byOrg.delete(orgId);
        return { last: true };
      },
    };
  }

  emit(orgId: string, event: LiveEvent): void {
    for (const { listener } of [...(this.byOrg.get(orgId) ?? [])]) {
      try {
        listener(event);
      } catch {
        // One broken stream must not stop the others.
      }
    }
  }

  emitEnd(orgId: string, who: StreamsOf): void {
    // A copy: ending a stream unsubscribes it, which edits the set being walked.
    for (const { onEnd } of [...(this.byOrg.get(orgId) ?? [])]) {
      try {
        onEnd?.(who);
      } catch {
        // as above
      }
    }
  }

  clear(): void {
    this.byOrg.clear();
  }

  has(orgId: string): boolean {
    return this.byOrg.has(orgId);
  }
}

export class MemoryLiveBus implements LiveBus {
  private readonly listeners = new LocalListeners();

  async publish(orgId: string, event: LiveEvent): Promise<void> {
    this.listeners.emit(orgId, event);
  }

  async subscribe(orgId: string, listener: LiveListener, onEnd?: EndListener): Promise<() => void> {
    const handle = this.listeners.add(orgId, listener, onEnd);
    return () => void handle.remove();
  }

  async endStreams(orgId: string, who: StreamsOf): Promise<void> {
    this.listeners.emitEnd(orgId, who);
  }

  mayHaveListeners(orgId: string): boolean {
    return this.listeners.has(orgId);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

// Live updates for each organization's open browsers. publish() after a change is committed;
// subscribe() per Server-Sent Events stream. In one process an in-memory bus is enough; with REDIS_URL
// the Redis bus fans events out to every instance (redis-live-bus.ts).
import type { LiveEvent } from '../contract.ts';

export type LiveListener = (event: LiveEvent) => void;

export interface LiveBus {
  publish(orgId: string, event: LiveEvent): Promise<void>;
  /** Resolves, with the unsubscribe function, once events published from now on will reach `listener`. */
  subscribe(orgId: string, listener: LiveListener): Promise<() => void>;
  close(): Promise<void>;
}

/** Listeners per organization, in this process only. */
export class LocalListeners {
  private readonly byOrg = new Map<string, Set<LiveListener>>();

  add(orgId: string, listener: LiveListener): { first: boolean; remove: () => { last: boolean } } {
    const existing = this.byOrg.get(orgId);
    const first = !existing;
    const set = existing ?? new Set<LiveListener>();
    if (first) this.byOrg.set(orgId, set);
    set.add(listener);
    return {
      first,
      remove: () => {
        set.delete(listener);
        if (set.size > 0 || this.byOrg.get(orgId) !== set) return { last: false };
        this.byOrg.delete(orgId);
        return { last: true };
      },
    };
  }

  emit(orgId: string, event: LiveEvent): void {
    for (const listener of this.byOrg.get(orgId) ?? []) {
      try {
        listener(event);
      } catch {
        // One broken stream must not stop the others.
      }
    }
  }

  clear(): void {
    this.byOrg.clear();
  }
}

export class MemoryLiveBus implements LiveBus {
  private readonly listeners = new LocalListeners();

  async publish(orgId: string, event: LiveEvent): Promise<void> {
    this.listeners.emit(orgId, event);
  }

  async subscribe(orgId: string, listener: LiveListener): Promise<() => void> {
    const handle = this.listeners.add(orgId, listener);
    return () => void handle.remove();
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

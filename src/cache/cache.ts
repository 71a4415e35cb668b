// Short-lived shared state (OAuth transactions, pending Pages, locks) behind one narrow interface:
// in memory for a single process, in Redis when REDIS_URL is set so several instances share it.
// Values are strings; callers encrypt what is sensitive before it gets here.
export interface Cache {
  get(key: string): Promise<string | null>;
  /** Stores with a time to live in milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores only if the key is absent; true when this call stored it (a lock or a claim). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Reads and removes in one atomic step: of two concurrent callers, one gets the value. */
  getAndDelete(key: string): Promise<string | null>;
  delete(key: string): Promise<void>;
  /**
   * Adds one to a counter in one atomic step and returns the new count and the time left in its window.
   * The first increment starts the window (`ttlMs`); later ones do not extend it (a fixed-window rate
   * limit: an attacker who keeps trying cannot keep a victim's window open forever, nor shorten it).
   */
  increment(key: string, ttlMs: number): Promise<{ count: number; ttlMs: number }>;
  close(): Promise<void>;
}

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
  /**
   * A set whose members each expire at their own time (epoch ms): adds `member` until `until`, or moves
   * its time, in one atomic step, so two instances adding at once both stay in. The set itself lives
   * `ttlMs` from its latest add.
   */
  addMember(key: string, member: string, until: number, ttlMs: number): Promise<void>;
  /** The members whose time is after `now`; those whose time has come leave the set. */
  liveMembers(key: string, now: number): Promise<string[]>;
  removeMember(key: string, member: string): Promise<void>;
  /** The live members, and the set is gone, in one atomic step: of two concurrent callers, one gets them. */
  takeMembers(key: string, now: number): Promise<string[]>;
  close(): Promise<void>;
}

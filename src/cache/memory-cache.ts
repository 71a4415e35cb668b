// The single-process Cache. Expiry is checked on read against an injectable clock, so tests can jump
// past a TTL without sleeping; a periodic sweep keeps abandoned keys from piling up.
import type { Cache } from './cache.ts';

export class MemoryCache implements Cache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  /** Expiring-member sets, by key: each member's time, and the set's own expiry. */
  private readonly sets = new Map<string, { members: Map<string, number>; expiresAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    return true;
  }

  async getAndDelete(key: string): Promise<string | null> {
    const entry = this.live(key);
    this.entries.delete(key);
    return entry?.value ?? null;
  }

  async increment(key: string, ttlMs: number): Promise<{ count: number; ttlMs: number }> {
    const entry = this.live(key) ?? { value: '0', expiresAt: this.now() + ttlMs };
    entry.value = String(Number(entry.value) + 1);
    this.entries.set(key, entry);
    return { count: Number(entry.value), ttlMs: entry.expiresAt - this.now() };
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
    this.sets.delete(key);
  }

  async addMember(key: string, member: string, until: number, ttlMs: number): Promise<void> {
    const set = this.liveSet(key) ?? { members: new Map<string, number>(), expiresAt: 0 };
    set.members.set(member, until);
    set.expiresAt = this.now() + ttlMs;
    this.sets.set(key, set);
  }

  async liveMembers(key: string, now: number): Promise<string[]> {
    return this.membersAt(key, now);
  }

  async removeMember(key: string, member: string): Promise<void> {
    this.liveSet(key)?.members.delete(member);
  }

  async takeMembers(key: string, now: number): Promise<string[]> {
    // No await between the read and the delete: that is what makes it one step.
    const members = this.membersAt(key, now);
    this.sets.delete(key);
    return members;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
    this.sets.clear();
  }

  private membersAt(key: string, now: number): string[] {
    const set = this.liveSet(key);
    if (!set) return [];
    for (const [member, until] of set.members) if (until <= now) set.members.delete(member);
    return [...set.members.keys()];
  }

  private liveSet(key: string) {
    return this.unexpired(this.sets, key);
  }

  private live(key: string) {
    return this.unexpired(this.entries, key);
  }

  /** The value under `key` unless its time is up, in which case it goes. */
  private unexpired<T extends { expiresAt: number }>(map: Map<string, T>, key: string): T | undefined {
    const value = map.get(key);
    if (value && value.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return value;
  }

  private sweep() {
    const t = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= t) this.entries.delete(k);
    for (const [k, s] of this.sets) if (s.expiresAt <= t) this.sets.delete(k);
  }
}

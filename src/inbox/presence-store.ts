// Who is in which conversation right now, kept in the shared Cache (memory in one process, Redis across
// instances) so any instance can answer GET …/presence and expire what another instance wrote. The Cache
// holds strings under keys with a time to live and has no sets, so:
//   presence:<org>:<conversation>:<user>   one member's entry (state deadlines, name, the session)
//   presence:<org>:<conversation>          the ids of members with an entry (an index, pruned on read)
//   presence-session:<session>             the conversations a session is in (to say `left` for it when
//                                          its last stream closes)
// The two lists are read-modify-write: two members arriving in the same instant on two instances can
// drop one id from an index. The next heartbeat (every 15 s) adds it back, which is good enough for a
// hint that is never a lock; entries themselves are written whole and never lost.
import type { Cache } from '../cache/cache.ts';

export interface PresenceTimings {
  /** A `viewing` lasts this long unless refreshed (the client heartbeats every 15 s). */
  viewingMs: number;
  /** A `typing` lasts this long unless refreshed (the client sends one at most every ~3 s). */
  typingMs: number;
  /**
   * How long after a session's last stream closed its presence ends, unless it opens one again: the
   * server ends every stream after 10 minutes and the browser is back within 3 s (`retry: 3000`).
   */
  reconnectGraceMs: number;
}

export const DEFAULT_PRESENCE_TIMINGS: PresenceTimings = {
  viewingMs: 40_000,
  typingMs: 6_000,
  reconnectGraceMs: 5_000,
};

export interface PresenceEntry {
  userId: string;
  name: string;
  sessionKey: string;
  /** Epoch ms: since when the member has been in the conversation. */
  since: number;
  viewingUntil: number;
  /** 0 when not typing. */
  typingUntil: number;
}

export type LiveState = 'viewing' | 'typing' | null;

/** What the entry says at `now`: typing wins while it lasts; nothing once viewing ran out. */
export function stateAt(entry: PresenceEntry | null, now: number): LiveState {
  if (!entry || entry.viewingUntil <= now) return null;
  return entry.typingUntil > now ? 'typing' : 'viewing';
}

const SLACK_MS = 5_000;

export class PresenceStore {
  constructor(
    private readonly cache: Cache,
    private readonly timings: PresenceTimings,
  ) {}

  private entryKey = (org: string, conv: string, user: string) => `presence:${org}:${conv}:${user}`;
  private indexKey = (org: string, conv: string) => `presence:${org}:${conv}`;
  private sessionKey = (session: string) => `presence-session:${session}`;

  async get(org: string, conv: string, user: string): Promise<PresenceEntry | null> {
    return parse<PresenceEntry>(await this.cache.get(this.entryKey(org, conv, user)));
  }

  async put(org: string, conv: string, entry: PresenceEntry, now: number): Promise<void> {
    const ttl = Math.max(entry.viewingUntil, entry.typingUntil) - now + SLACK_MS;
    await this.cache.set(this.entryKey(org, conv, entry.userId), JSON.stringify(entry), ttl);
    await this.addTo(this.indexKey(org, conv), entry.userId);
    await this.addTo(this.sessionKey(entry.sessionKey), `${org}:${conv}`);
  }

  async remove(org: string, conv: string, user: string): Promise<void> {
    await this.cache.delete(this.entryKey(org, conv, user));
  }

  /** Live entries of a conversation; ids whose entry is gone or ran out leave the index. */
  async list(org: string, conv: string, now: number): Promise<PresenceEntry[]> {
    const key = this.indexKey(org, conv);
    const ids = parse<string[]>(await this.cache.get(key)) ?? [];
    const entries = await Promise.all(ids.map((id) => this.get(org, conv, id)));
    const live = entries.filter((e): e is PresenceEntry => stateAt(e, now) !== null);
    if (live.length < ids.length) {
      if (live.length === 0) await this.cache.delete(key);
      else await this.cache.set(key, JSON.stringify(live.map((e) => e.userId)), this.listTtl());
    }
    return live.sort((a, b) => a.since - b.since);
  }

  /** The conversations (`org:conversation`) a session has been in lately; forgets them. */
  async takeSession(session: string): Promise<Array<{ org: string; conv: string }>> {
    const ids = parse<string[]>(await this.cache.getAndDelete(this.sessionKey(session))) ?? [];
    return ids.flatMap((id) => {
      const at = id.indexOf(':');
      return at === -1 ? [] : [{ org: id.slice(0, at), conv: id.slice(at + 1) }];
    });
  }

  /** A new mark each time one of the session's streams opens, on any instance. */
  async markStreamOpened(session: string, mark: string): Promise<void> {
    await this.cache.set(this.streamKey(session), mark, 3_600_000);
  }

  async streamMark(session: string): Promise<string | null> {
    return this.cache.get(this.streamKey(session));
  }

  private streamKey = (session: string) => `presence-stream:${session}`;

  private listTtl() {
    return this.timings.viewingMs * 2 + SLACK_MS;
  }

  private async addTo(key: string, id: string): Promise<void> {
    const ids = (parse<string[]>(await this.cache.get(key)) ?? []).filter((other) => other !== id);
    // Rewritten on every heartbeat, which also renews its time to live; bounded, so it stays small.
    await this.cache.set(key, JSON.stringify([...ids.slice(-49), id]), this.listTtl());
  }
}

function parse<T>(raw: string | null): T | null {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

// Who is in which conversation right now, kept in the shared Cache (memory in one process, Redis across
// instances) so any instance can answer GET …/presence and expire what another instance wrote:
//   presence:<org>:<conversation>:<user>   one member's entry (state deadlines, name, the session)
//   presence-members:<org>:<conversation>  the ids of members with an entry, each until its entry ends
//   presence-sessions:<session>            the conversations a session is in (to say `left` for it when
//                                          its last stream closes)
// The two indexes are the Cache's expiring-member sets: each add is one atomic step, so members arriving
// in the same instant on two instances both stay listed (they were lists rewritten whole, which could
// drop one until its next heartbeat), and a member leaves an index when its time is up, not when a
// reader happened to find its entry missing.
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
  private indexKey = (org: string, conv: string) => `presence-members:${org}:${conv}`;
  private sessionKey = (session: string) => `presence-sessions:${session}`;

  async get(org: string, conv: string, user: string): Promise<PresenceEntry | null> {
    return parse<PresenceEntry>(await this.cache.get(this.entryKey(org, conv, user)));
  }

  async put(org: string, conv: string, entry: PresenceEntry, now: number): Promise<void> {
    const until = Math.max(entry.viewingUntil, entry.typingUntil) + SLACK_MS;
    await this.cache.set(this.entryKey(org, conv, entry.userId), JSON.stringify(entry), until - now);
    // The entry first: a reader who finds the id listed then finds its entry.
    await this.cache.addMember(this.indexKey(org, conv), entry.userId, until, this.indexTtl());
    await this.cache.addMember(this.sessionKey(entry.sessionKey), `${org}:${conv}`, until, this.indexTtl());
  }

  async remove(org: string, conv: string, user: string): Promise<void> {
    await this.cache.delete(this.entryKey(org, conv, user));
    await this.cache.removeMember(this.indexKey(org, conv), user);
  }

  /** Live entries of a conversation, earliest arrival first. */
  async list(org: string, conv: string, now: number): Promise<PresenceEntry[]> {
    const ids = await this.cache.liveMembers(this.indexKey(org, conv), now);
    const entries = await Promise.all(ids.map((id) => this.get(org, conv, id)));
    const live = entries.filter((e): e is PresenceEntry => stateAt(e, now) !== null);
    return live.sort((a, b) => a.since - b.since);
  }

  /** The conversations (`org:conversation`) a session has been in lately; forgets them. */
  async takeSession(session: string, now: number): Promise<Array<{ org: string; conv: string }>> {
    const ids = await this.cache.takeMembers(this.sessionKey(session), now);
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

  /** An index outlives its latest member; members past their time are dropped as it is read. */
  private indexTtl() {
    return this.timings.viewingMs * 2 + SLACK_MS;
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

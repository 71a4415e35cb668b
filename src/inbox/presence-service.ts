// Presence (issue 12 item 6): who else is viewing a conversation, and who is typing a reply, so two
// members don't answer one customer. Members report (`viewing` on open and every 15 s, `typing` at most
// every ~3 s, `left`); every report is published to the organization over the live bus (so it reaches
// streams on every instance) and recorded in the shared Cache (presence-store.ts) for GET.
//
// Presence expires on its own: the instance that took a report sets a timer at its deadline, and when it
// fires, if the entry in the Cache still has that deadline (no newer report on any instance moved it),
// publishes the change: typing → viewing, viewing → left. If that instance went away, the clients' own
// expiry (the same timings) hides the member anyway. When a session's last stream on an instance
// closes (tab closed, signed out, removed from the team) and no stream of that session opens again within
// a few seconds (the browser reconnects after the server's periodic stream end), its entries go and
// `left` is published.
//
// Presence is a hint, never a lock: a Cache failure is logged and the report still goes out live, and
// GET answers with nobody rather than an error.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SessionContext } from '../accounts/accounts-service.ts';
import type { Cache } from '../cache/cache.ts';
import type { PresenceResponse, PresenceState } from '../contract.ts';
import { keyPart, RateLimitedError, WindowCounter } from '../http/rate-limit.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { findConversation } from './conversation-repository.ts';
import { ConversationNotFoundError } from './inbox-errors.ts';
import {
  DEFAULT_PRESENCE_TIMINGS,
  type PresenceEntry,
  PresenceStore,
  type PresenceTimings,
  stateAt,
} from './presence-store.ts';

/**
 * Per session: a heartbeat every 15 s and a typing report every 3 s in a couple of tabs stay far below
 * this; a script cannot flood the organization's streams.
 */
export const PRESENCE_WRITE_LIMIT = { max: 40, windowMs: 10_000 };

export interface PresenceServiceDeps {
  db: Kysely<DatabaseSchema>;
  bus: LiveBus;
  cache: Cache;
  logger: Logger;
  now: () => number;
  timings?: Partial<PresenceTimings>;
}

/** Whose streams ended on this instance: the session's last one here closed. */
export interface StreamsClosed {
  orgId: string;
  sessionIdHash: string;
}

export class PresenceService {
  private readonly store: PresenceStore;
  private readonly timings: PresenceTimings;
  private readonly writes: WindowCounter;
  /** This instance's expiry timers, one per member and conversation. */
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly d: PresenceServiceDeps) {
    this.timings = { ...DEFAULT_PRESENCE_TIMINGS, ...d.timings };
    this.store = new PresenceStore(d.cache, this.timings);
    this.writes = new WindowCounter(d.cache, 'presence', PRESENCE_WRITE_LIMIT);
  }

  async report(session: SessionContext, conversationId: string, state: PresenceState): Promise<void> {
    const org = session.organization.id;
    await this.requireConversation(org, conversationId);
    // Throws RateLimitedError (429) over the limit; a Cache failure lets the report through.
    const counted = await this.writes.count(keyPart(session.sessionIdHash)).catch(() => null);
    if (counted && counted.count > PRESENCE_WRITE_LIMIT.max) throw new RateLimitedError(counted.ttlMs);
    const user = { id: session.user.id, name: displayName(session) };
    const now = this.d.now();
    await this.publish(org, conversationId, user, state);
    await this.hint(async () => {
      if (state === 'left') {
        this.clearTimer(org, conversationId, user.id);
        await this.store.remove(org, conversationId, user.id);
        return;
      }
      const before = await this.store.get(org, conversationId, user.id);
      const entry: PresenceEntry = {
        userId: user.id,
        name: user.name,
        sessionKey: session.sessionIdHash,
        since: before && stateAt(before, now) !== null ? before.since : now,
        viewingUntil: now + this.timings.viewingMs,
        typingUntil: state === 'typing' ? now + this.timings.typingMs : 0,
      };
      await this.store.put(org, conversationId, entry, now);
      this.schedule(org, conversationId, entry, now);
    });
  }

  async list(orgId: string, userId: string, conversationId: string): Promise<PresenceResponse> {
    await this.requireConversation(orgId, conversationId);
    const now = this.d.now();
    const entries = (await this.hint(() => this.store.list(orgId, conversationId, now))) ?? [];
    return {
      members: entries
        .filter((e) => e.userId !== userId)
        .map((e) => ({
          user: { id: e.userId, name: e.name },
          state: stateAt(e, now) ?? 'viewing',
          since: new Date(e.since).toISOString(),
        })),
    };
  }

  async streamOpened({ sessionIdHash }: StreamsClosed): Promise<void> {
    await this.hint(() => this.store.markStreamOpened(sessionIdHash, randomUUID()));
  }

  /**
   * A session's last stream on this instance closed: unless one of its streams opens again within the
   * grace period (on any instance), its member has left the conversations it was in.
   */
  async streamsClosed(closed: StreamsClosed): Promise<void> {
    const mark = await this.hint(() => this.store.streamMark(closed.sessionIdHash));
    const key = `stream:${closed.sessionIdHash}:${randomUUID()}`;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      void this.hint(async () => {
        if ((await this.store.streamMark(closed.sessionIdHash)) !== mark) return;
        await this.leaveAll(closed);
      });
    }, this.timings.reconnectGraceMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  private async leaveAll({ orgId, sessionIdHash }: StreamsClosed): Promise<void> {
    await this.hint(async () => {
      for (const { org, conv } of await this.store.takeSession(sessionIdHash, this.d.now())) {
        if (org !== orgId) continue;
        // Only entries this session wrote: another tab or device of the member may still be there.
        const entries = await this.store.list(org, conv, this.d.now());
        for (const entry of entries.filter((e) => e.sessionKey === sessionIdHash)) {
          this.clearTimer(org, conv, entry.userId);
          await this.store.remove(org, conv, entry.userId);
          await this.publish(org, conv, { id: entry.userId, name: entry.name }, 'left');
        }
      }
    });
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async requireConversation(orgId: string, conversationId: string) {
    if (!(await findConversation(this.d.db, orgId, conversationId))) throw new ConversationNotFoundError();
  }

  private publish(org: string, conv: string, user: { id: string; name: string }, state: PresenceState) {
    return this.d.bus.publish(org, { type: 'presence', conversation_id: conv, user, state });
  }

  private schedule(org: string, conv: string, entry: PresenceEntry, now: number) {
    this.clearTimer(org, conv, entry.userId);
    const deadline = entry.typingUntil > 0 ? entry.typingUntil : entry.viewingUntil;
    const key = timerKey(org, conv, entry.userId);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      void this.hint(() => this.expire(org, conv, entry.userId, deadline));
    }, deadline - now);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** The deadline this instance set has come: publish the change unless a newer report moved it. */
  private async expire(org: string, conv: string, userId: string, deadline: number) {
    const entry = await this.store.get(org, conv, userId);
    if (!entry) return;
    const user = { id: entry.userId, name: entry.name };
    const now = Math.max(this.d.now(), deadline);
    if (entry.typingUntil === deadline && entry.viewingUntil > now) {
      const calmer = { ...entry, typingUntil: 0 };
      await this.store.put(org, conv, calmer, now);
      await this.publish(org, conv, user, 'viewing');
      this.schedule(org, conv, calmer, now);
    } else if (
      entry.viewingUntil === deadline ||
      (entry.typingUntil === deadline && entry.viewingUntil <= now)
    ) {
      await this.store.remove(org, conv, userId);
      await this.publish(org, conv, user, 'left');
    }
  }

  private clearTimer(org: string, conv: string, userId: string) {
    const key = timerKey(org, conv, userId);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  private async hint<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (err) {
      this.d.logger.warn({ err: { message: (err as Error).message } }, 'presence not kept');
      return null;
    }
  }
}

const timerKey = (org: string, conv: string, user: string) => `${org}:${conv}:${user}`;

function displayName(session: SessionContext): string {
  return session.user.name?.trim() ? session.user.name : session.user.email;
}

// Applies Meta's messaging events to organizations' inboxes, inside the caller's transaction. (Past
// 300 lines: one switch over every event kind reads better in one place than split across files.) Every
// write is idempotent, so a delivery processed twice (Meta retries, a processor crash after commit)
// changes nothing the second time (R39, F4):
// - messages insert on the unique (org_id, mid) with ON CONFLICT DO NOTHING; only a real insert counts
//   as unread;
// - an echo of our own send is matched by mid, or by the metadata carrying our message id, and never
//   stored twice; an echo of a message sent from Meta's own apps is stored as outbound;
// - receipts raise per-conversation watermarks and move statuses forward only (R40, F5).
// The person's messages are inserted first, many rows per statement and every organization's in the
// same statements (a 1000-event batch from ten Pages is a handful of queries): they touch nothing the
// other events read except by mid, and their effects on the conversation (unread count, window, last
// message) do not depend on order. Everything else is applied one event at a time, each organization's
// in Meta's timestamp order.
import type { Transaction } from 'kysely';
import { forgetMedia, requestDownloads } from '../media/media-requests.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { MessageDetails, MessagingEvent } from '../webhooks/webhook-payload.ts';
import type { ConversationRow, ParticipantKey } from './conversation-repository.ts';
import * as conversations from './conversation-repository.ts';
import type { InboxChanges } from './inbox-changes.ts';
import { messageFromEvent, type NewMessage } from './message-from-event.ts';
import type { MessageRow } from './message-repository.ts';
import * as messages from './message-repository.ts';
import { MAY_BECOME, STATUS_RANK, statusesBelow, statusUnderWatermarks } from './message-status.ts';
import { parseOutboundMetadata } from './outbound-metadata.ts';
import { needsProfile } from './profile-recheck.ts';

type Tx = Transaction<DatabaseSchema>;
type MessageEvent = Extract<MessagingEvent, { kind: 'message' }>;

/** Why an event changed nothing, for the drop counters. */
export type IngestSkip = 'unknown_conversation' | 'unknown_mid';

export interface ApplyOptions {
  /**
   * History imported from Meta (not a live webhook): the person's messages sent before this time (the
   * import's start) are old, and not unread. A message sent after it arrived while the import ran, and is
   * unread as its webhook would have made it, whichever of the two stores it first.
   */
  historyBefore?: number;
}

/**
 * Applies one organization's events (already in timestamp order); returns the events that changed
 * nothing and why.
 */
export async function applyEvents(
  tx: Tx,
  orgId: string,
  events: MessagingEvent[],
  changes: InboxChanges,
  now: number,
  opts: ApplyOptions = {},
): Promise<Array<{ event: MessagingEvent; reason: IngestSkip }>> {
  return applyOrganizations(tx, new Map([[orgId, events]]), () => changes, now, opts);
}

/**
 * Applies several organizations' events (each one's in timestamp order). The person's messages of all
 * of them share their statements — the lock, the inserts and the update per few hundred rows, and on
 * PostgreSQL the lookup — rather than taking each its own: a batch from ten Pages was about forty round
 * trips, and is now about six. Then each organization's other events, one at a time in its order.
 * Organizations share no rows, so applying theirs side by side changes nothing but the statement count.
 */
export async function applyOrganizations(
  tx: Tx,
  byOrg: Map<string, MessagingEvent[]>,
  changesOf: (orgId: string) => InboxChanges,
  now: number,
  opts: ApplyOptions = {},
): Promise<Array<{ event: MessagingEvent; reason: IngestSkip }>> {
  const ingest = new Ingest(tx, changesOf, now, opts.historyBefore ?? null);
  const inbound: InboundGroups = new Map();
  const rest: Array<[string, MessagingEvent]> = [];
  for (const [orgId, events] of byOrg) {
    for (const e of events) {
      if (e.kind === 'message' && e.direction === 'inbound') {
        const k = keyOf(orgId, e);
        const group = inbound.get(k);
        if (group) group.events.push(e);
        else inbound.set(k, { orgId, events: [e] });
      } else {
        rest.push([orgId, e]);
      }
    }
  }
  await ingest.inboundGroups(inbound);
  const skipped: Array<{ event: MessagingEvent; reason: IngestSkip }> = [];
  for (const [orgId, event] of rest) {
    const reason = await ingest.one(orgId, event);
    if (reason) skipped.push({ event, reason });
  }
  return skipped;
}

/** The person's messages by conversation (keyOf), each group with its organization. */
type InboundGroups = Map<string, { orgId: string; events: MessageEvent[] }>;

const keyOf = (orgId: string, e: MessagingEvent) => `${orgId}|${e.channel}|${e.accountId}|${e.participantId}`;
const keyOfRow = (r: ConversationRow) => `${r.org_id}|${r.channel}|${r.account_id}|${r.participant_id}`;

class Ingest {
  /** Conversations read or created in this transaction, kept current as watermarks move. */
  private readonly known = new Map<string, ConversationRow>();

  constructor(
    private readonly tx: Tx,
    private readonly changesOf: (orgId: string) => InboxChanges,
    private readonly now: number,
    private readonly historyBefore: number | null = null,
  ) {}

  /** Imported, and sent before the import began: already seen on Meta's side, not unread here. */
  private old(sentAt: number): boolean {
    return this.historyBefore !== null && sentAt < this.historyBefore;
  }

  private participant(orgId: string, e: MessagingEvent): ParticipantKey {
    return { orgId, channel: e.channel, accountId: e.accountId, participantId: e.participantId };
  }

  private async ensure(orgId: string, e: MessagingEvent): Promise<ConversationRow> {
    const k = keyOf(orgId, e);
    let row = this.known.get(k);
    if (!row) {
      [row] = await conversations.ensureConversations(
        this.tx,
        [{ key: this.participant(orgId, e), at: e.timestamp }],
        this.now,
      );
      if (!row) throw new Error('conversation vanished between insert and select');
      this.known.set(k, row);
    }
    if (needsProfile(row, this.now)) this.changesOf(orgId).needProfile.add(row.id);
    return row;
  }

  private async find(orgId: string, e: MessagingEvent): Promise<ConversationRow | null> {
    const k = keyOf(orgId, e);
    const cached = this.known.get(k);
    if (cached) return cached;
    const found = await conversations.findByParticipant(this.tx, this.participant(orgId, e));
    const row = found ? await conversations.lockConversation(this.tx, found.id) : null;
    if (row) this.known.set(k, row);
    return row;
  }

  private async raise(conv: ConversationRow, which: 'delivered_watermark' | 'read_watermark', w: number) {
    const row = await conversations.raiseWatermark(this.tx, conv.id, which, w, this.now);
    if (row) this.known.set(keyOfRow(row), row);
  }

  /**
   * The person's messages, grouped by conversation, in as few statements as possible: the conversations
   * created and locked together (in id order, so two processors never deadlock on them), every message
   * inserted together, then one update per conversation that got new ones.
   */
  async inboundGroups(groups: InboundGroups): Promise<void> {
    if (groups.size === 0) return;
    const missing = [...groups].filter(([k]) => !this.known.has(k));
    const rows = await conversations.ensureConversations(
      this.tx,
      missing.map(([, g]) => ({ key: this.participant(g.orgId, g.events[0]!), at: g.events[0]!.timestamp })),
      this.now,
    );
    for (const row of rows) this.known.set(keyOfRow(row), row);
    const fresh: NewMessage[] = [];
    for (const [k, { orgId, events }] of groups) {
      const conv = this.known.get(k);
      if (!conv) throw new Error('conversation vanished between insert and select');
      if (needsProfile(conv, this.now)) this.changesOf(orgId).needProfile.add(conv.id);
      const unique = new Map(events.map((e) => [e.mid, e]));
      for (const e of unique.values())
        fresh.push(
          messageFromEvent(orgId, conv.id, e, this.old(e.timestamp) ? 'read' : 'received', this.now),
        );
      await this.threadState(conv, events);
    }
    const inserted = await this.insertWithMedia(fresh);
    const byConversation = new Map<string, MessageRow[]>();
    for (const row of inserted) {
      const list = byConversation.get(row.conversation_id);
      if (list) list.push(row);
      else byConversation.set(row.conversation_id, [row]);
      this.changesOf(row.org_id).messageCreated(row);
    }
    // Redeliveries inserted nothing and change nothing.
    const counts = [...byConversation].map(([id, list]) => {
      const newest = list.reduce((a, b) => (b.sent_at >= a.sent_at ? b : a));
      const oldest = list.reduce((a, b) => (b.sent_at < a.sent_at ? b : a));
      return {
        id,
        count: list.filter((m) => !this.old(m.sent_at)).length,
        messageId: newest.id,
        at: newest.sent_at,
        firstAt: oldest.sent_at,
      };
    });
    await conversations.recordInboundMessages(this.tx, counts, this.now);
  }

  /** Inserts new messages and asks for the files of those really inserted (not redeliveries). */
  private async insertWithMedia(fresh: NewMessage[]): Promise<MessageRow[]> {
    const inserted = await messages.insertMessages(
      this.tx,
      fresh.map((m) => m.row),
    );
    const ids = new Set(inserted.map((r) => r.id));
    const downloads = fresh.filter((m) => ids.has(m.row.id)).flatMap((m) => m.downloads);
    await requestDownloads(this.tx, downloads, this.now);
    return inserted;
  }

  /**
   * What the person's messages say about the thread: where it came from (the first referral) and
   * whether another app owns it (events under `standby`; a message in our own `messaging` ends that).
   */
  private async threadState(conv: ConversationRow, group: MessageEvent[]): Promise<void> {
    const referral = group.find((e) => e.details.referral)?.details.referral;
    const newest = group.reduce((a, b) => (b.timestamp >= a.timestamp ? b : a));
    const change: Parameters<typeof conversations.updateConversation>[2] = {};
    if (referral && conv.referral === null) change.referral = JSON.stringify(referral);
    if (newest.standby && (conv.standby_at ?? 0) < newest.timestamp) change.standby_at = newest.timestamp;
    if (!newest.standby && conv.standby_at !== null && conv.standby_at <= newest.timestamp)
      change.standby_at = null;
    if (Object.keys(change).length === 0) return;
    const row = await conversations.updateConversation(this.tx, conv.id, { ...change, updated_at: this.now });
    if (row) {
      this.known.set(keyOfRow(row), row);
      this.changesOf(row.org_id).conversationTouched(row.id);
    }
  }

  async one(orgId: string, event: MessagingEvent): Promise<IngestSkip | null> {
    const { tx, now } = this;
    const changes = this.changesOf(orgId);
    switch (event.kind) {
      case 'message': {
        const conv = await this.ensure(orgId, event);
        if (event.direction === 'inbound') {
          await this.inboundGroups(new Map([[keyOf(orgId, event), { orgId, events: [event] }]]));
          return null;
        }
        return this.echo(orgId, conv, event);
      }
      case 'delivery': {
        const conv = await this.find(orgId, event);
        if (!conv) return 'unknown_conversation';
        await this.raise(conv, 'delivered_watermark', event.watermark);
        const moved = await messages.advanceOutbound(
          tx,
          conv.id,
          'delivered',
          MAY_BECOME.delivered,
          { mids: event.mids, upTo: event.watermark },
          now,
        );
        for (const row of moved) changes.messageUpdated(row);
        return null;
      }
      case 'read': {
        const conv = await this.find(orgId, event);
        if (!conv) return 'unknown_conversation';
        let upTo = event.watermark;
        const mids: string[] = [];
        if (event.mid !== null) {
          // Instagram's messaging_seen names the newest message read: everything up to it was read.
          const seen = await messages.findByMid(tx, orgId, event.mid);
          if (!seen || seen.conversation_id !== conv.id) return 'unknown_mid';
          mids.push(event.mid);
          if (seen.meta_at !== null) upTo = Math.max(upTo ?? 0, seen.meta_at);
        }
        if (upTo !== null) await this.raise(conv, 'read_watermark', upTo);
        const moved = await messages.advanceOutbound(
          tx,
          conv.id,
          'read',
          MAY_BECOME.read,
          { mids, upTo },
          now,
        );
        for (const row of moved) changes.messageUpdated(row);
        return null;
      }
      case 'reaction': {
        const target = await messages.findByMid(tx, orgId, event.mid);
        if (!target) return 'unknown_mid';
        const row = await messages.updateMessage(tx, target.id, { reaction: event.emoji, updated_at: now });
        if (row) changes.messageUpdated(row);
        return null;
      }
      case 'unsend': {
        const target = await messages.findByMid(tx, orgId, event.mid);
        if (!target) return 'unknown_mid';
        if (target.deleted_at !== null) return null;
        // The person took it back: keep that it existed, not what it said (Meta's deletion rules),
        // nor the files it carried (their bytes go with the next media sweep).
        await forgetMedia(tx, orgId, `message:${target.id}`);
        const row = await messages.updateMessage(tx, target.id, {
          text: null,
          attachments: '[]',
          deleted_at: now,
          updated_at: now,
        });
        if (row) changes.messageUpdated(row);
        return null;
      }
      case 'edit': {
        const target = await messages.findByMid(tx, orgId, event.mid);
        if (!target) return 'unknown_mid';
        if (target.deleted_at !== null) return null;
        const details = parseDetails(target.details);
        // Edits can arrive twice or out of order: an older edit never replaces a newer one.
        if ((details.edited_at ?? 0) > event.timestamp) return null;
        details.edit_count = event.editCount ?? (details.edit_count ?? 0) + 1;
        details.edited_at = event.timestamp;
        const row = await messages.updateMessage(tx, target.id, {
          text: event.text,
          details: JSON.stringify(details),
          updated_at: now,
        });
        if (row) changes.messageUpdated(row);
        return null;
      }
      case 'referral': {
        // A person opened the thread from an ad or an m.me / ig.me link, maybe before writing.
        const conv = await this.ensure(orgId, event);
        if (conv.referral === null) {
          const row = await conversations.updateConversation(tx, conv.id, {
            referral: JSON.stringify(event.referral),
            updated_at: now,
          });
          if (row) this.known.set(keyOfRow(row), row);
          changes.conversationTouched(conv.id);
        }
        return null;
      }
    }
  }

  private async echo(orgId: string, conv: ConversationRow, event: MessageEvent): Promise<null> {
    const { tx, now } = this;
    const changes = this.changesOf(orgId);
    const known = await messages.findByMid(tx, orgId, event.mid);
    if (known) return this.confirmOutbound(conv, known, event);
    const ourId = parseOutboundMetadata(event.metadata);
    const ours = ourId ? await messages.findMessage(tx, orgId, ourId) : null;
    if (
      ours &&
      ours.conversation_id === conv.id &&
      ours.direction === 'outbound' &&
      ours.kind !== 'note' &&
      ours.mid === null
    ) {
      return this.confirmOutbound(conv, ours, event);
    }
    // Sent by a person from Meta's own apps (Page inbox, Instagram app), or by the app that owns the
    // thread (standby): part of the conversation too.
    const [inserted] = await this.insertWithMedia([
      messageFromEvent(orgId, conv.id, event, statusUnderWatermarks(event.timestamp, conv), now),
    ]);
    if (!inserted) return null;
    await conversations.offerLastMessage(tx, conv.id, inserted.id, inserted.sent_at, now);
    await conversations.markAnswered(tx, conv.id, inserted.sent_at);
    changes.messageCreated(inserted);
    return null;
  }

  /** Our outbound message, confirmed by its echo: Meta's mid and timestamp, and a status moved forward. */
  private async confirmOutbound(conv: ConversationRow, row: MessageRow, event: MessageEvent): Promise<null> {
    const { tx, now } = this;
    const changes = this.changesOf(conv.org_id);
    let current = row;
    if (current.meta_at === null || current.mid === null) {
      current =
        (await messages.updateMessage(tx, current.id, {
          mid: current.mid ?? event.mid,
          meta_at: event.timestamp,
          sent_at: event.timestamp,
          updated_at: now,
        })) ?? current;
      await conversations.offerLastMessage(tx, conv.id, current.id, current.sent_at, now);
      await conversations.markAnswered(tx, conv.id, current.sent_at);
    }
    const target = statusUnderWatermarks(current.meta_at, conv);
    if (STATUS_RANK[target] > STATUS_RANK[current.status]) {
      current =
        (await messages.updateMessage(
          tx,
          current.id,
          { status: target, error: null, updated_at: now },
          statusesBelow(target),
        )) ?? current;
    }
    if (current !== row) changes.messageUpdated(current);
    return null;
  }
}

function parseDetails(json: string | null): MessageDetails {
  if (!json) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' ? (parsed as MessageDetails) : {};
  } catch {
    return {};
  }
}

// Applies Meta's messaging events to an organization's inbox, inside the caller's transaction. (Past
// 300 lines: one switch over every event kind reads better in one place than split across files.) Every
// write is idempotent, so a delivery processed twice (Meta retries, a processor crash after commit)
// changes nothing the second time (R39, F4):
// - messages insert on the unique (org_id, mid) with ON CONFLICT DO NOTHING; only a real insert counts
//   as unread;
// - an echo of our own send is matched by mid, or by the metadata carrying our message id, and never
//   stored twice; an echo of a message sent from Meta's own apps is stored as outbound;
// - receipts raise per-conversation watermarks and move statuses forward only (R40, F5).
// The person's messages are inserted first, many rows per statement (a 1000-event batch is a handful of
// queries): they touch nothing the other events read except by mid, and their effects on the
// conversation (unread count, window, last message) do not depend on order. Everything else is
// applied one event at a time in Meta's timestamp order.
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
  /** History imported from Meta (not a live webhook): the person's old messages are not unread. */
  opts: { imported?: boolean } = {},
): Promise<Array<{ event: MessagingEvent; reason: IngestSkip }>> {
  const ingest = new Ingest(tx, orgId, changes, now, opts.imported === true);
  const inbound = new Map<string, MessageEvent[]>();
  const rest: MessagingEvent[] = [];
  for (const e of events) {
    if (e.kind === 'message' && e.direction === 'inbound') {
      const k = keyOf(orgId, e);
      const group = inbound.get(k);
      if (group) group.push(e);
      else inbound.set(k, [e]);
    } else {
      rest.push(e);
    }
  }
  await ingest.inboundGroups(inbound);
  const skipped: Array<{ event: MessagingEvent; reason: IngestSkip }> = [];
  for (const event of rest) {
    const reason = await ingest.one(event);
    if (reason) skipped.push({ event, reason });
  }
  return skipped;
}

const keyOf = (orgId: string, e: MessagingEvent) => `${orgId}|${e.channel}|${e.accountId}|${e.participantId}`;
const keyOfRow = (r: ConversationRow) => `${r.org_id}|${r.channel}|${r.account_id}|${r.participant_id}`;

class Ingest {
  /** Conversations read or created in this transaction, kept current as watermarks move. */
  private readonly known = new Map<string, ConversationRow>();

  constructor(
    private readonly tx: Tx,
    private readonly orgId: string,
    private readonly changes: InboxChanges,
    private readonly now: number,
    private readonly imported = false,
  ) {}

  private participant(e: MessagingEvent): ParticipantKey {
    return { orgId: this.orgId, channel: e.channel, accountId: e.accountId, participantId: e.participantId };
  }

  private async ensure(e: MessagingEvent): Promise<ConversationRow> {
    const k = keyOf(this.orgId, e);
    let row = this.known.get(k);
    if (!row) {
      [row] = await conversations.ensureConversations(
        this.tx,
        [{ key: this.participant(e), at: e.timestamp }],
        this.now,
      );
      if (!row) throw new Error('conversation vanished between insert and select');
      this.known.set(k, row);
    }
    if (needsProfile(row, this.now)) this.changes.needProfile.add(row.id);
    return row;
  }

  private async find(e: MessagingEvent): Promise<ConversationRow | null> {
    const k = keyOf(this.orgId, e);
    const cached = this.known.get(k);
    if (cached) return cached;
    const found = await conversations.findByParticipant(this.tx, this.participant(e));
    const row = found ? await conversations.lockConversation(this.tx, found.id) : null;
    if (row) this.known.set(k, row);
    return row;
  }

  private async raise(
    e: MessagingEvent,
    conv: ConversationRow,
    which: 'delivered_watermark' | 'read_watermark',
    w: number,
  ) {
    const row = await conversations.raiseWatermark(this.tx, conv.id, which, w, this.now);
    if (row) this.known.set(keyOf(this.orgId, e), row);
  }

  /**
   * The person's messages, grouped by conversation, in as few statements as possible: the conversations
   * created and locked together (in id order, so two processors never deadlock on them), every message
   * inserted together, then one update per conversation that got new ones.
   */
  async inboundGroups(groups: Map<string, MessageEvent[]>): Promise<void> {
    if (groups.size === 0) return;
    const missing = [...groups].filter(([k]) => !this.known.has(k));
    const rows = await conversations.ensureConversations(
      this.tx,
      missing.map(([, g]) => ({ key: this.participant(g[0]!), at: g[0]!.timestamp })),
      this.now,
    );
    for (const row of rows) this.known.set(keyOfRow(row), row);
    const fresh: NewMessage[] = [];
    for (const [k, group] of groups) {
      const conv = this.known.get(k);
      if (!conv) throw new Error('conversation vanished between insert and select');
      if (needsProfile(conv, this.now)) this.changes.needProfile.add(conv.id);
      const unique = new Map(group.map((e) => [e.mid, e]));
      for (const e of unique.values())
        fresh.push(messageFromEvent(this.orgId, conv.id, e, this.imported ? 'read' : 'received', this.now));
      await this.threadState(conv, group);
    }
    const inserted = await this.insertWithMedia(fresh);
    const byConversation = new Map<string, MessageRow[]>();
    for (const row of inserted) {
      const list = byConversation.get(row.conversation_id);
      if (list) list.push(row);
      else byConversation.set(row.conversation_id, [row]);
      this.changes.messageCreated(row);
    }
    // Redeliveries inserted nothing and change nothing.
    const counts = [...byConversation].map(([id, list]) => {
      const newest = list.reduce((a, b) => (b.sent_at >= a.sent_at ? b : a));
      const oldest = list.reduce((a, b) => (b.sent_at < a.sent_at ? b : a));
      return {
        id,
        count: this.imported ? 0 : list.length,
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
      this.changes.conversationTouched(row.id);
    }
  }

  async one(event: MessagingEvent): Promise<IngestSkip | null> {
    const { tx, orgId, changes, now } = this;
    switch (event.kind) {
      case 'message': {
        const conv = await this.ensure(event);
        if (event.direction === 'inbound') {
          await this.inboundGroups(new Map([[keyOf(orgId, event), [event]]]));
          return null;
        }
        return this.echo(conv, event);
      }
      case 'delivery': {
        const conv = await this.find(event);
        if (!conv) return 'unknown_conversation';
        await this.raise(event, conv, 'delivered_watermark', event.watermark);
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
        const conv = await this.find(event);
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
        if (upTo !== null) await this.raise(event, conv, 'read_watermark', upTo);
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
        const conv = await this.ensure(event);
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

  private async echo(conv: ConversationRow, event: MessageEvent): Promise<null> {
    const { tx, orgId, changes, now } = this;
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
    const { tx, changes, now } = this;
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

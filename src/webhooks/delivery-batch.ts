// A batch of claimed deliveries made ready for one processing transaction: each body read, grouped so
// a transaction stays within its event budget, and every entry routed to its organization with the
// events merged per organization in Meta's timestamp order. What cannot be applied is collected for
// the drop counters (R43) or, for a body that cannot be read, for quarantine (R44).
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { routeAccounts } from './account-router.ts';
import type { DeliveryRow } from './delivery-repository.ts';
import { type MessagingEvent, type ParsedBody, parseWebhookBody, type Skipped } from './webhook-payload.ts';

export interface ReadDelivery {
  row: DeliveryRow;
  parsed: ParsedBody;
  events: number;
}

export function readDelivery(row: DeliveryRow): ReadDelivery {
  const parsed =
    row.body_encoding === 'utf8'
      ? parseWebhookBody(row.body)
      : { ok: false as const, problem: 'not UTF-8 text' };
  const events = parsed.ok ? parsed.entries.reduce((n, e) => n + e.events.length, 0) : 0;
  return { row, parsed, events };
}

/** Consecutive groups of deliveries holding at most `max` events each (a bigger delivery goes alone). */
export function byEventCount(items: ReadDelivery[], max: number): ReadDelivery[][] {
  const groups: ReadDelivery[][] = [];
  let current: ReadDelivery[] = [];
  let events = 0;
  for (const d of items) {
    if (current.length > 0 && events + d.events > max) {
      groups.push(current);
      current = [];
      events = 0;
    }
    current.push(d);
    events += d.events;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * How many deliveries to claim next so that a claim holds about one transaction's events (`maxEvents`),
 * judged from the last claim: a batch of single-event deliveries claims `batchSize`, one of 100-event
 * deliveries a hundredth of it, so the bodies held in memory stay near one transaction's worth.
 */
export function nextClaimSize(last: ReadDelivery[], maxEvents: number, batchSize: number): number {
  const events = last.reduce((n, d) => n + Math.max(1, d.events), 0);
  if (events === 0) return batchSize;
  return Math.max(1, Math.min(batchSize, Math.floor((maxEvents * last.length) / events)));
}

export interface RoutedBatch {
  /** Each organization's events, in Meta's timestamp order. */
  byOrg: Map<string, MessagingEvent[]>;
  /** Organizations reached, with the newest receipt time of a delivery that reached them. */
  reached: Map<string, number>;
  skipped: Skipped[];
  /** Signed by Meta yet unreadable: kept for a person to look at, never retried. */
  quarantined: Array<{ row: DeliveryRow; problem: string }>;
  /** The readable deliveries, marked processed by the transaction that applies them. */
  processedIds: string[];
}

export async function routeBatch(db: Kysely<DatabaseSchema>, group: ReadDelivery[]): Promise<RoutedBatch> {
  const skipped: Skipped[] = [];
  const routed: Array<{ orgId: string; event: MessagingEvent }> = [];
  const reached = new Map<string, number>();
  const quarantined: RoutedBatch['quarantined'] = [];
  const accounts = group.flatMap(({ parsed }) =>
    parsed.ok && parsed.channel
      ? parsed.entries.map((e) => ({ channel: parsed.channel!, accountId: e.accountId }))
      : [],
  );
  const routes = await routeAccounts(db, accounts);
  for (const { row, parsed } of group) {
    if (!parsed.ok) {
      quarantined.push({ row, problem: parsed.problem });
      continue;
    }
    skipped.push(...parsed.skipped);
    for (const entry of parsed.entries) {
      if (!parsed.channel) break;
      const route = routes.get(`${parsed.channel}:${entry.accountId}`)!;
      if ('dropped' in route) {
        for (let i = 0; i < Math.max(1, entry.events.length); i++)
          skipped.push({ reason: route.dropped, accountId: entry.accountId });
        continue;
      }
      reached.set(route.orgId, Math.max(reached.get(route.orgId) ?? 0, row.received_at));
      for (const event of entry.events) routed.push({ orgId: route.orgId, event });
    }
  }
  // Stable sort: events with equal timestamps keep their order (deliveries in arrival order, then
  // Meta's order within each).
  routed.sort((a, b) => a.event.timestamp - b.event.timestamp);
  const byOrg = new Map<string, MessagingEvent[]>();
  for (const { orgId, event } of routed) {
    const list = byOrg.get(orgId);
    if (list) list.push(event);
    else byOrg.set(orgId, [event]);
  }
  const processedIds = group.filter((d) => d.parsed.ok).map((d) => d.row.id);
  return { byOrg, reached, skipped, quarantined, processedIds };
}

/** Skipped events counted per reason and account, keyed `reason \0 accountId`. */
export function countSkipped(skipped: Skipped[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of skipped) {
    const key = `${s.reason}\u0000${s.accountId}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

// The writes of one processed batch (webhook-processor.ts): its events applied, every organization's
// together (inbox-ingest.ts, applyOrganizations), and its deliveries finished together with the drop
// counters and each organization's last-webhook time. In one transaction both happen in that order; with
// lanes (processing-lanes.ts) each lane applies its part in a transaction of its own and the finishing
// comes after all of them committed.
//
// Rows are locked in one order — the conversations of the people who wrote, by id (inbox-ingest.ts),
// then the drop counters and the organizations by id — so two transactions over the same organizations
// (another instance's, or another lane's) wait for each other instead of deadlocking.
import type { Transaction } from 'kysely';
import { InboxChanges } from '../inbox/inbox-changes.ts';
import { applyOrganizations } from '../inbox/inbox-ingest.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { touchLastWebhook } from './account-router.ts';
import { countSkipped, type RoutedBatch } from './delivery-batch.ts';
import * as deliveries from './delivery-repository.ts';
import type { EventsByOrg } from './processing-lanes.ts';
import type { Skipped } from './webhook-payload.ts';

type Tx = Transaction<DatabaseSchema>;

/** What applying a part of a batch changed (published once it committed) and the events it skipped. */
export interface AppliedPart {
  changes: Map<string, InboxChanges>;
  skipped: Skipped[];
}

const byKey = <T>(a: [string, T], b: [string, T]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export async function applyPart(tx: Tx, byOrg: EventsByOrg, now: number): Promise<AppliedPart> {
  const changes = new Map<string, InboxChanges>();
  const sorted = new Map([...byOrg].sort(byKey));
  for (const orgId of sorted.keys()) changes.set(orgId, new InboxChanges());
  const skipped = await applyOrganizations(tx, sorted, (orgId) => changes.get(orgId)!, now);
  return { changes, skipped: skipped.map((s) => ({ reason: s.reason, accountId: s.event.accountId })) };
}

/** Counts what was dropped, records the organizations reached, marks the batch's deliveries finished. */
export async function finishBatch(
  tx: Tx,
  batch: RoutedBatch,
  parts: AppliedPart[],
  now: number,
): Promise<void> {
  const { quarantined, reached, processedIds } = batch;
  if (quarantined.length > 0) await deliveries.countDrop(tx, 'malformed_body', '', now, quarantined.length);
  const skipped = [...batch.skipped, ...parts.flatMap((p) => p.skipped)];
  for (const [key, n] of [...countSkipped(skipped)].sort(byKey)) {
    const [reason, accountId] = key.split('\u0000') as [string, string];
    await deliveries.countDrop(tx, reason, accountId, now, n);
  }
  for (const [orgId, at] of [...reached].sort(byKey)) await touchLastWebhook(tx, orgId, at);
  for (const q of quarantined) {
    await deliveries.finishDelivery(tx, q.row.id, { now, outcome: 'quarantined', error: q.problem });
  }
  await deliveries.finishDeliveries(tx, processedIds, { now, outcome: 'processed' });
}

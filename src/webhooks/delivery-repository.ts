// Queries for webhook_deliveries and webhook_drops. Claiming follows the job queue's pattern: a short
// transaction takes a lease on due rows (PostgreSQL: FOR UPDATE SKIP LOCKED, so several instances never
// claim the same delivery; SQLite serialises writers anyway).
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../storage/database.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { derivedTransaction } from '../storage/derived-transaction.ts';
import { inLists } from '../storage/statement-shapes.ts';
import type { DeliveryOutcome, WebhookDeliveriesTable } from './delivery-table.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;
export type DeliveryRow = WebhookDeliveriesTable;

/** Ids per claim or finish statement: a whole claim (the processor claims at most 1,000). */
const CLAIM_LIST = 1000;

/** One statement, hence one transaction, for a whole group of deliveries (group commit). */
export async function insertDeliveries(db: Db, rows: DeliveryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('webhook_deliveries').values(rows).execute();
}

/**
 * A lease lost to a power cut is harmless (the delivery is claimed again), so the claim commits without
 * waiting for the disk (storage/derived-transaction.ts).
 */
export async function claimDeliveries(
  database: Database,
  now: number,
  opts: { limit: number; leaseMs: number },
): Promise<DeliveryRow[]> {
  return derivedTransaction(database, async (tx) => {
    if (database.dialect === 'postgres') return sortedByReceipt(await claimDuePostgres(tx, now, opts));
    const ids = await dueIdsSqlite(tx, now, opts.limit);
    if (ids.length === 0) return [];
    const rows: DeliveryRow[] = [];
    for (const list of inLists(tx, ids, CLAIM_LIST)) {
      rows.push(
        ...(await tx
          .updateTable('webhook_deliveries')
          .set((eb) => ({ claimed_until: now + opts.leaseMs, attempts: eb('attempts', '+', 1) }))
          .where('id', 'in', list)
          .returningAll()
          .execute()),
      );
    }
    return sortedByReceipt(rows);
  });
}

/** Oldest first, as claims return them. */
export const sortedByReceipt = (rows: DeliveryRow[]) =>
  rows.sort((a, b) => a.received_at - b.received_at || a.id.localeCompare(b.id));

/**
 * The claim on PostgreSQL in one statement: the due rows are chosen and locked (SKIP LOCKED) by the
 * inner SELECT and leased by the UPDATE around it. (It was a SELECT of the ids, then an UPDATE naming
 * them, a thousand parameters sent back: in a drain that claim took 31–46 ms per thousand deliveries,
 * 14–20 % of the processor's wall time.)
 */
async function claimDuePostgres(
  tx: Transaction<DatabaseSchema>,
  now: number,
  opts: { limit: number; leaseMs: number },
): Promise<DeliveryRow[]> {
  const { rows } = await sql<DeliveryRow>`update webhook_deliveries
    set claimed_until = ${now + opts.leaseMs}, attempts = attempts + 1
    where id in (
      select id from webhook_deliveries
      where processed_at is null and (claimed_until is null or claimed_until <= ${now})
      order by received_at, id limit ${opts.limit}
      for update skip locked)
    returning *`.execute(tx);
  return rows;
}

/**
 * The same query on SQLite, told which index to use: left to itself, SQLite searched the index on
 * processed_at (processed_at IS NULL) and sorted every pending delivery for each claim, so a claim cost
 * grew with the backlog (3 ms at 20,000 pending, 0.5 ms through the pending index, which is in
 * received_at order already).
 */
async function dueIdsSqlite(tx: Transaction<DatabaseSchema>, now: number, limit: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`select id from webhook_deliveries
    indexed by webhook_deliveries_pending_idx
    where processed_at is null and (claimed_until is null or claimed_until <= ${now})
    order by received_at, id limit ${limit}`.execute(tx);
  return rows.map((r) => r.id);
}

/**
 * On an SQLite file Parley is one process (docs/deploying.md), so when it starts, every lease still running
 * was taken by a process that is gone — killed or crashed mid-batch. Its deliveries are due now, not when
 * the 60 s lease runs out (that wait was most of the processing time after a kill -9 in the soak). A
 * backoff after a failure (releaseDelivery sets `error`) is kept. PostgreSQL never does this: there another
 * instance may hold the lease.
 */
export async function releaseLeasesOfEndedProcess(db: Db, now: number): Promise<number> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ claimed_until: null })
    .where('processed_at', 'is', null)
    .where('error', 'is', null)
    .where('claimed_until', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Whether any delivery could be claimed now (the same condition as claimDeliveries). */
export async function hasDueDelivery(db: Db, now: number): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('processed_at', 'is', null)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function finishDelivery(
  db: Db,
  id: string,
  change: { now: number; outcome: DeliveryOutcome; error?: string | null },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      processed_at: change.now,
      outcome: change.outcome,
      error: change.error?.slice(0, 500) ?? null,
      claimed_until: null,
    })
    .where('id', '=', id)
    .execute();
}

/** Marks several deliveries finished with one statement (the processor applies them together). */
export async function finishDeliveries(
  db: Db,
  ids: string[],
  change: { now: number; outcome: DeliveryOutcome },
): Promise<void> {
  for (const list of inLists(db, ids, CLAIM_LIST)) {
    await db
      .updateTable('webhook_deliveries')
      .set({ processed_at: change.now, outcome: change.outcome, error: null, claimed_until: null })
      .where('id', 'in', list)
      .execute();
  }
}

/** Leaves the delivery unprocessed, claimable again at `retryAt` (backoff for a failing delivery). */
export async function releaseDelivery(db: Db, id: string, retryAt: number, error: string): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ claimed_until: retryAt, error: error.slice(0, 500) })
    .where('id', '=', id)
    .execute();
}

export async function countDrop(
  db: Db,
  reason: string,
  accountId: string,
  now: number,
  n = 1,
): Promise<void> {
  await db
    .insertInto('webhook_drops')
    .values({ reason, account_id: accountId, count: n, last_at: now })
    .onConflict((oc) =>
      oc.columns(['reason', 'account_id']).doUpdateSet((eb) => ({
        count: eb('webhook_drops.count', '+', n),
        last_at: now,
      })),
    )
    .execute();
}

export async function listDrops(db: Db) {
  return db.selectFrom('webhook_drops').selectAll().orderBy('reason').orderBy('account_id').execute();
}

/** Processed bodies are kept a week (longer than Meta's 36 h retry horizon, R41), then deleted. */
export async function pruneFinished(db: Db, before: number): Promise<number> {
  const r = await db
    .deleteFrom('webhook_deliveries')
    .where('processed_at', 'is not', null)
    .where('processed_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}

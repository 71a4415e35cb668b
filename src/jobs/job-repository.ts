// Durable background work (the outbox): enqueue inside the transaction that makes the work necessary,
// claim due jobs with a lease so several instances never run the same job at once (PostgreSQL:
// FOR UPDATE SKIP LOCKED; SQLite serialises writers anyway).
import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../storage/database.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { newRowId } from '../storage/row-id.ts';
import type { JobsTable } from './job-table.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

export async function enqueue(
  db: Db,
  job: { kind: string; payload: unknown; runAt: number; dedupeKey?: string; now: number },
): Promise<boolean> {
  const result = await db
    .insertInto('jobs')
    .values({
      id: newRowId(),
      kind: job.kind,
      dedupe_key: job.dedupeKey ?? null,
      payload: JSON.stringify(job.payload),
      run_at: job.runAt,
      attempts: 0,
      locked_until: null,
      last_error: null,
      created_at: job.now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function claimDue(
  db: Kysely<DatabaseSchema>,
  dialect: Dialect,
  now: number,
  opts: { limit: number; leaseMs: number },
): Promise<JobsTable[]> {
  return db.transaction().execute(async (tx) => {
    let due = tx
      .selectFrom('jobs')
      .select('id')
      .where('run_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .orderBy('run_at')
      .limit(opts.limit);
    if (dialect === 'postgres') due = due.forUpdate().skipLocked();
    const ids = (await due.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    return tx
      .updateTable('jobs')
      .set((eb) => ({ locked_until: now + opts.leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', ids)
      .returningAll()
      .execute();
  });
}

export async function complete(db: Db, id: string) {
  await db.deleteFrom('jobs').where('id', '=', id).execute();
}

export async function reschedule(db: Db, id: string, runAt: number, error: string) {
  await db
    .updateTable('jobs')
    .set({ run_at: runAt, locked_until: null, last_error: error.slice(0, 500) })
    .where('id', '=', id)
    .execute();
}

export async function listJobs(db: Db, kind?: string) {
  let q = db.selectFrom('jobs').selectAll();
  if (kind) q = q.where('kind', '=', kind);
  return q.orderBy('run_at').execute();
}

// Periodic work that must run once per period across all instances: an instance runs it only if it
// moves the schedule's next_run_at forward in one conditional UPDATE, which exactly one instance can
// win per period (the database decides, not a clock race).
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';

export async function claimSchedule(
  db: Kysely<DatabaseSchema>,
  name: string,
  now: number,
  periodMs: number,
): Promise<boolean> {
  await db
    .insertInto('schedules')
    .values({ name, next_run_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const result = await db
    .updateTable('schedules')
    .set({ next_run_at: now + periodMs })
    .where('name', '=', name)
    .where('next_run_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// Queries for conversation assignment (migration 0010). The first argument is the database or a
// transaction; every write is scoped by org_id (R23).
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

/** Sets the assignee (null: nobody); returns false when the organization has no such conversation. */
export async function setAssignee(
  db: Db,
  orgId: string,
  id: string,
  assigneeId: string | null,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('conversations')
    .set({ assignee_id: assigneeId, updated_at: now })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The replier takes an unassigned conversation; returns whether it was unassigned. */
export async function assignIfUnassigned(db: Db, id: string, userId: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('conversations')
    .set({ assignee_id: userId, updated_at: now })
    .where('id', '=', id)
    .where('assignee_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A member leaves: their conversations in this organization become unassigned. Returns their ids. */
export async function unassignMember(db: Db, orgId: string, userId: string, now: number): Promise<string[]> {
  const rows = await db
    .updateTable('conversations')
    .set({ assignee_id: null, updated_at: now })
    .where('org_id', '=', orgId)
    .where('assignee_id', '=', userId)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Open conversations assigned to `userId`, and open ones assigned to nobody (two index range counts). */
export async function countOpen(
  db: Db,
  orgId: string,
  userId: string,
): Promise<{ mine: number; unassigned: number }> {
  const count = async (assignee: string | null) => {
    const row = await db
      .selectFrom('conversations')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('org_id', '=', orgId)
      .where('assignee_id', assignee === null ? 'is' : '=', assignee)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const [mine, unassigned] = await Promise.all([count(userId), count(null)]);
  return { mine, unassigned };
}

/** Display names (the member's name, else their email) of these users, by id. */
export async function displayNames(db: Db, ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name?.trim() ? r.name : r.email]));
}

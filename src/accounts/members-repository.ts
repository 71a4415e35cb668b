// Queries behind member management (members-service.ts): one membership, role changes, removal, and
// the organization-row lock that serialises them on PostgreSQL.
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { Role } from './accounts-repository.ts';

type Db = Kysely<DatabaseSchema>;

/**
 * Serialises membership changes of one organization. The last-owner rule reads the owners and then
 * writes; two owners demoting each other at once would each still see the other. On PostgreSQL the
 * organization row is locked until commit; SQLite runs one write transaction at a time already.
 */
export async function lockOrganization(db: Db, orgId: string): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select id from organizations where id = ${orgId} for update`.execute(db);
}

export async function findMember(db: Db, orgId: string, userId: string) {
  return (
    (await db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id as user_id', 'users.email', 'users.name', 'memberships.role'])
      .where('memberships.org_id', '=', orgId)
      .where('memberships.user_id', '=', userId)
      .executeTakeFirst()) ?? null
  );
}

export async function countOwners(db: Db, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setRole(db: Db, orgId: string, userId: string, role: Role) {
  await db
    .updateTable('memberships')
    .set({ role })
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMembership(db: Db, orgId: string, userId: string) {
  await db.deleteFrom('memberships').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
}

/** Whether a user with this email belongs to any organization (and which). */
export async function findMembershipByEmail(db: Db, email: string) {
  return (
    (await db
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .select(['users.id as user_id', 'memberships.org_id'])
      .where('users.email', '=', email)
      .executeTakeFirst()) ?? null
  );
}

/** The organization's name and its owners' and admins' emails (whom connection alerts go to). */
export async function managersOf(db: Db, orgId: string) {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('organizations', 'organizations.id', 'memberships.org_id')
    .select(['users.email', 'organizations.name'])
    .where('memberships.org_id', '=', orgId)
    .where('memberships.role', 'in', ['owner', 'admin'])
    .orderBy('users.email')
    .execute();
  return { organization: rows[0]?.name ?? 'your organization', emails: rows.map((r) => r.email) };
}

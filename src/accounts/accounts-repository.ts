// Queries for organizations, users, memberships and sessions. Each function takes the database (or a
// transaction) first; rules live in accounts-service.ts.
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { MembershipsTable } from './account-tables.ts';

type Db = Kysely<DatabaseSchema>;
export type Role = MembershipsTable['role'];

export async function insertOrganization(db: Db, row: { id: string; name: string; created_at: number }) {
  await db.insertInto('organizations').values(row).execute();
}

/** Inserts a user; false when the email is taken (the unique index decides, not a prior lookup). */
export async function insertUser(
  db: Db,
  row: { id: string; email: string; password_hash: string; created_at: number; name?: string | null },
): Promise<boolean> {
  const result = await db
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.column('email').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Replaces the stored hash only if it is still the one verified, so a concurrent password change wins. */
export async function upgradePasswordHash(db: Db, userId: string, from: string, to: string) {
  await db
    .updateTable('users')
    .set({ password_hash: to })
    .where('id', '=', userId)
    .where('password_hash', '=', from)
    .execute();
}

export async function insertMembership(db: Db, row: MembershipsTable) {
  await db.insertInto('memberships').values(row).execute();
}

export async function findUserByEmail(db: Db, email: string) {
  return (await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()) ?? null;
}

/** The user's first organization and role (a user belongs to one organization today). */
export async function findMembershipOfUser(db: Db, userId: string) {
  return (
    (await db
      .selectFrom('memberships')
      .innerJoin('organizations', 'organizations.id', 'memberships.org_id')
      .select([
        'memberships.org_id',
        'memberships.role',
        'organizations.name as org_name',
        'organizations.require_two_factor',
      ])
      .where('memberships.user_id', '=', userId)
      .orderBy('memberships.created_at')
      .executeTakeFirst()) ?? null
  );
}

export async function listMembers(db: Db, orgId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id as user_id', 'users.email', 'users.name', 'memberships.role'])
    .where('memberships.org_id', '=', orgId)
    .orderBy('memberships.created_at')
    .orderBy('users.email')
    .execute();
}

export async function insertSession(
  db: Db,
  row: {
    id_hash: string;
    user_id: string;
    org_id: string;
    created_at: number;
    expires_at: number;
    last_seen_at: number;
    user_agent: string | null;
    ip_address: string | null;
  },
) {
  await db.insertInto('sessions').values(row).execute();
}

/** The session with its user and current role: a role changed mid-session applies at once (R9). */
export async function findSession(db: Db, idHash: string, now: number) {
  return (
    (await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .innerJoin('organizations', 'organizations.id', 'sessions.org_id')
      .innerJoin('memberships', (j) =>
        j
          .onRef('memberships.user_id', '=', 'sessions.user_id')
          .onRef('memberships.org_id', '=', 'sessions.org_id'),
      )
      .select([
        'sessions.user_id',
        'sessions.org_id',
        'sessions.expires_at',
        'sessions.last_seen_at',
        'users.email',
        'users.name',
        'users.totp_secret_sealed',
        'organizations.name as org_name',
        'organizations.require_two_factor',
        'memberships.role',
      ])
      .where('sessions.id_hash', '=', idHash)
      .where('sessions.expires_at', '>', now)
      .executeTakeFirst()) ?? null
  );
}

export async function touchSession(db: Db, idHash: string, now: number) {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function findUserById(db: Db, userId: string) {
  return (await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst()) ?? null;
}

export async function setUserName(db: Db, userId: string, name: string) {
  await db.updateTable('users').set({ name }).where('id', '=', userId).execute();
}

export async function deleteSession(db: Db, idHash: string) {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteExpiredSessions(db: Db, now: number) {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

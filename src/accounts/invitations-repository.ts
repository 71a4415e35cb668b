// Invitations: the token's hash, the organization, the invitee's email and role; pending until accepted,
// revoked or expired.
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { InvitationsTable } from './account-tables.ts';

type Db = Kysely<DatabaseSchema>;

export async function insertInvitation(db: Db, row: Omit<InvitationsTable, 'accepted_at' | 'revoked_at'>) {
  await db
    .insertInto('invitations')
    .values({ ...row, accepted_at: null, revoked_at: null })
    .execute();
}

export async function listPending(db: Db, orgId: string, now: number) {
  return db
    .selectFrom('invitations')
    .select(['id', 'email', 'role', 'expires_at'])
    .where('org_id', '=', orgId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revoke(db: Db, orgId: string, id: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findPendingByToken(db: Db, tokenHash: string, now: number) {
  return (
    (await db
      .selectFrom('invitations')
      .innerJoin('organizations', 'organizations.id', 'invitations.org_id')
      .select([
        'invitations.id',
        'invitations.org_id',
        'invitations.email',
        'invitations.role',
        'organizations.name as org_name',
      ])
      .where('invitations.token_hash', '=', tokenHash)
      .where('invitations.accepted_at', 'is', null)
      .where('invitations.revoked_at', 'is', null)
      .where('invitations.expires_at', '>', now)
      .executeTakeFirst()) ?? null
  );
}

/**
 * Spends the invitation in one statement: of two accepts racing, one updates the row and the other
 * finds it already accepted (on PostgreSQL the second waits for the first's row lock, then re-checks).
 */
export async function consume(db: Db, tokenHash: string, now: number) {
  return (
    (await db
      .updateTable('invitations')
      .set({ accepted_at: now })
      .where('token_hash', '=', tokenHash)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['id', 'org_id', 'email', 'role'])
      .executeTakeFirst()) ?? null
  );
}

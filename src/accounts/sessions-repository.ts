// Queries over one user's sessions: the Account page's list, signing one out, and ending all (or all
// but the current) when the password changes or the member is removed.
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';

type Db = Kysely<DatabaseSchema>;

export async function listUserSessions(db: Db, userId: string, now: number) {
  return db
    .selectFrom('sessions')
    .select(['id_hash', 'org_id', 'created_at', 'last_seen_at', 'user_agent', 'ip_address'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Deletes the user's sessions (except `keep`) and returns what was deleted, to end their streams. */
export async function deleteUserSessions(db: Db, userId: string, keep: string | null = null) {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) query = query.where('id_hash', '!=', keep);
  return query.returning(['id_hash', 'org_id']).execute();
}

export async function deleteUserSession(db: Db, userId: string, idHash: string) {
  return db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('id_hash', '=', idHash)
    .returning(['id_hash', 'org_id'])
    .executeTakeFirst();
}

// Password-reset links: the token's hash, its user, one hour of validity, spent once.
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';

type Db = Kysely<DatabaseSchema>;

export async function insertPasswordReset(
  db: Db,
  row: { token_hash: string; user_id: string; created_at: number; expires_at: number },
) {
  await db.insertInto('password_resets').values(row).execute();
}

/** Spends the link in one statement (R3-style atomic consume); null when unknown, used or expired. */
export async function consumePasswordReset(db: Db, tokenHash: string, now: number) {
  return (
    (await db
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['user_id'])
      .executeTakeFirst()) ?? null
  );
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string) {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

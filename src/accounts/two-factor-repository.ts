// Two-factor state of a user: the sealed TOTP secret (pending while being set up), the last time step
// accepted, and hashed single-use recovery codes.
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';

type Db = Kysely<DatabaseSchema>;

export async function setPendingSecret(db: Db, userId: string, sealed: string | null) {
  await db.updateTable('users').set({ totp_pending_sealed: sealed }).where('id', '=', userId).execute();
}

export async function enable(db: Db, userId: string, sealed: string, step: number) {
  await db
    .updateTable('users')
    .set({ totp_secret_sealed: sealed, totp_pending_sealed: null, totp_last_step: step })
    .where('id', '=', userId)
    .execute();
}

export async function disable(db: Db, userId: string) {
  await db
    .updateTable('users')
    .set({ totp_secret_sealed: null, totp_pending_sealed: null, totp_last_step: null })
    .where('id', '=', userId)
    .execute();
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}

/** Moves the last accepted step forward only if it is still behind `step`: a code is good once. */
export async function advanceStep(db: Db, userId: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(db: Db, userId: string, hashes: string[], now: number) {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ code_hash, user_id: userId, created_at: now, used_at: null })))
    .execute();
}

export async function spendRecoveryCode(db: Db, userId: string, hash: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Members of the organization who have not turned on two-factor sign-in. */
export async function membersWithoutTwoFactor(db: Db, orgId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('users.id')
    .where('memberships.org_id', '=', orgId)
    .where('users.totp_secret_sealed', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

export async function setRequireTwoFactor(db: Db, orgId: string, required: boolean) {
  await db
    .updateTable('organizations')
    .set({ require_two_factor: required ? 1 : 0 })
    .where('id', '=', orgId)
    .execute();
}

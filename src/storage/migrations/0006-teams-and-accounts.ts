// Frozen in time (see 0001). Issue 14: invitations, password-reset links, display names, two-factor
// sign-in and a sessions list. Tokens of links are stored only as SHA-256 hashes; the TOTP secret is
// sealed with the token cipher (AES-256-GCM, AAD bound to the user); recovery codes are hashed.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('name', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_secret_sealed', 'text').execute();
  // A secret being set up (QR shown, first code not yet confirmed): never used to sign in.
  await db.schema.alterTable('users').addColumn('totp_pending_sealed', 'text').execute();
  // The last TOTP time step accepted, so a code seen once cannot be replayed within its window.
  await db.schema.alterTable('users').addColumn('totp_last_step', 'bigint').execute();
  await db.schema
    .alterTable('organizations')
    .addColumn('require_two_factor', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'bigint').execute();
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('ip_address', 'text').execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('invitations_org_idx').on('invitations').column('org_id').execute();

  await db.schema
    .createTable('password_resets')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('password_resets_user_idx').on('password_resets').column('user_id').execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('recovery_codes_user_idx').on('recovery_codes').column('user_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['recovery_codes', 'password_resets', 'invitations'])
    await db.schema.dropTable(t).execute();
  for (const c of ['ip_address', 'user_agent', 'last_seen_at'])
    await db.schema.alterTable('sessions').dropColumn(c).execute();
  await db.schema.alterTable('organizations').dropColumn('require_two_factor').execute();
  for (const c of ['totp_last_step', 'totp_pending_sealed', 'totp_secret_sealed', 'name'])
    await db.schema.alterTable('users').dropColumn(c).execute();
}

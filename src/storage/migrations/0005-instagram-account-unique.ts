// Frozen in time (see 0001). Meta links an Instagram account to one Page at a time, so at most one
// connection may hold an Instagram account id; two holders made every DM to it ambiguous (dropped).
// Existing duplicates are resolved first the way the app does it: the most recently updated row (the
// newest answer from Meta) keeps the account, the others let go of it.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update organization_meta_settings
    set instagram_business_account_id = null, instagram_username = null
    where instagram_business_account_id is not null
      and exists (
        select 1 from organization_meta_settings newer
        where newer.instagram_business_account_id = organization_meta_settings.instagram_business_account_id
          and (
            newer.updated_at > organization_meta_settings.updated_at
            or (newer.updated_at = organization_meta_settings.updated_at
                and newer.org_id > organization_meta_settings.org_id)
          )
      )
  `.execute(db);
  await db.schema
    .createIndex('organization_meta_settings_instagram_unique')
    .on('organization_meta_settings')
    .column('instagram_business_account_id')
    .unique()
    .where('instagram_business_account_id', 'is not', null)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('organization_meta_settings_instagram_unique').execute();
}

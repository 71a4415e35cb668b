// Frozen in time (see 0001). Connection alerts by mail (issue 14 item 5): the status the organization's
// owners and admins were last e-mailed about, so a connection that stays broken is mailed about once per
// state it enters, however many checks and retries see it broken (null: nothing mailed since it was
// last healthy).
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organization_meta_settings').addColumn('alerted_status', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: as above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organization_meta_settings').dropColumn('alerted_status').execute();
}

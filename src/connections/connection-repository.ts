// Queries for organization_meta_settings. The first argument is the database or a transaction.
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { ConnectionStatus, OrganizationMetaSettingsTable, WebhookState } from './connection-table.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;
export type ConnectionRow = OrganizationMetaSettingsTable;

export async function findByOrg(db: Db, orgId: string): Promise<ConnectionRow | null> {
  return (
    (await db
      .selectFrom('organization_meta_settings')
      .selectAll()
      .where('org_id', '=', orgId)
      .executeTakeFirst()) ?? null
  );
}

export async function findByPageId(db: Db, pageId: string): Promise<ConnectionRow | null> {
  return (
    (await db
      .selectFrom('organization_meta_settings')
      .selectAll()
      .where('facebook_page_id', '=', pageId)
      .executeTakeFirst()) ?? null
  );
}

/** Which of these Pages are connected to an organization other than `orgId`. */
export async function pagesConnectedElsewhere(
  db: Db,
  orgId: string,
  pageIds: string[],
): Promise<Set<string>> {
  if (pageIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('organization_meta_settings')
    .select('facebook_page_id')
    .where('facebook_page_id', 'in', pageIds)
    .where('org_id', '!=', orgId)
    .execute();
  return new Set(rows.map((r) => r.facebook_page_id));
}

/** One row per organization: insert, or replace the organization's connection in place. */
export async function upsert(db: Db, row: ConnectionRow): Promise<void> {
  const { org_id: _org, connected_at: _at, ...changes } = row;
  await db
    .insertInto('organization_meta_settings')
    .values(row)
    .onConflict((oc) => oc.column('org_id').doUpdateSet(changes))
    .execute();
}

export async function setConnectedAt(db: Db, orgId: string, at: number) {
  await db
    .updateTable('organization_meta_settings')
    .set({ connected_at: at })
    .where('org_id', '=', orgId)
    .execute();
}

export async function updateHealth(
  db: Db,
  orgId: string,
  pageId: string,
  change: {
    status: ConnectionStatus;
    status_reason: string | null;
    last_health_check_at?: number;
    data_access_expires_at?: number | null;
    webhook_page?: WebhookState;
    webhook_app_page?: WebhookState;
    webhook_app_instagram?: WebhookState;
    updated_at: number;
  },
) {
  // Scoped to the Page too: a background retry must not touch a connection replaced meanwhile. Healthy
  // again: the next breakage is news worth a mail (connection-alerts.ts).
  await db
    .updateTable('organization_meta_settings')
    .set(change.status === 'active' ? { ...change, alerted_status: null } : change)
    .where('org_id', '=', orgId)
    .where('facebook_page_id', '=', pageId)
    .execute();
}

/**
 * Claims the one alert mail about the connection being in `status`: true for the single caller that
 * moved alerted_status to it while the connection is still in that status (atomic across instances).
 */
export async function claimAlert(db: Db, orgId: string, pageId: string, status: ConnectionStatus) {
  const r = await db
    .updateTable('organization_meta_settings')
    .set({ alerted_status: status })
    .where('org_id', '=', orgId)
    .where('facebook_page_id', '=', pageId)
    .where('status', '=', status)
    .where((eb) => eb.or([eb('alerted_status', 'is', null), eb('alerted_status', '!=', status)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateInstagram(
  db: Db,
  orgId: string,
  pageId: string,
  change: {
    instagram_business_account_id: string | null;
    instagram_username: string | null;
    updated_at: number;
  },
) {
  await db
    .updateTable('organization_meta_settings')
    .set(change)
    .where('org_id', '=', orgId)
    .where('facebook_page_id', '=', pageId)
    .execute();
}

export async function findByInstagram(db: Db, igId: string): Promise<ConnectionRow[]> {
  return db
    .selectFrom('organization_meta_settings')
    .selectAll()
    .where('instagram_business_account_id', '=', igId)
    .execute();
}

/** Records who connected the Page, on a row saved without it; never overwrites a known id. */
export async function fillFacebookUser(db: Db, orgId: string, pageId: string, fbUserId: string) {
  await db
    .updateTable('organization_meta_settings')
    .set({ connected_by_fb_user_id: fbUserId })
    .where('org_id', '=', orgId)
    .where('facebook_page_id', '=', pageId)
    .where('connected_by_fb_user_id', 'is', null)
    .execute();
}

/** Connections made by this Facebook user (app-scoped id), in every organization. */
export async function findByFacebookUser(db: Db, fbUserId: string): Promise<ConnectionRow[]> {
  return db
    .selectFrom('organization_meta_settings')
    .selectAll()
    .where('connected_by_fb_user_id', '=', fbUserId)
    .execute();
}

export async function listAll(db: Db): Promise<ConnectionRow[]> {
  return db.selectFrom('organization_meta_settings').selectAll().orderBy('org_id').execute();
}

export async function deleteByOrg(db: Db, orgId: string): Promise<ConnectionRow | null> {
  const row = await findByOrg(db, orgId);
  if (!row) return null;
  await db.deleteFrom('organization_meta_settings').where('org_id', '=', orgId).execute();
  return row;
}

export async function findConnectedBy(db: Db, userId: string) {
  return (
    (await db.selectFrom('users').select(['id', 'email']).where('id', '=', userId).executeTakeFirst()) ?? null
  );
}

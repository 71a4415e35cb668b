// Routes an entry to the one organization that connected its Page (object page) or its Instagram
// account (object instagram) (R27, R43). facebook_page_id is unique, and so is an Instagram id since
// migration 0005 (a relinked account moves to the connection of its new Page: connections/instagram-link.ts).
// Two holders can therefore no longer occur; were they found, the event is routed nowhere rather than guessed.
import type { Kysely, Transaction } from 'kysely';
import type { Channel } from '../contract.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';

export type Route = { orgId: string } | { dropped: 'unknown_account' | 'ambiguous_account' };

export async function routeAccount(
  db: Kysely<DatabaseSchema>,
  channel: Channel,
  accountId: string,
): Promise<Route> {
  const column = channel === 'messenger' ? 'facebook_page_id' : 'instagram_business_account_id';
  const rows = await db
    .selectFrom('organization_meta_settings')
    .select('org_id')
    .where(column, '=', accountId)
    .limit(2)
    .execute();
  if (rows.length === 0) return { dropped: 'unknown_account' };
  if (rows.length > 1) return { dropped: 'ambiguous_account' };
  return { orgId: rows[0]!.org_id };
}

/**
 * Records that a webhook for this organization's Page arrived (its connection shows "last webhook
 * received", field lessons row 5); never moves back when deliveries are processed out of order.
 */
export async function touchLastWebhook(
  db: Kysely<DatabaseSchema> | Transaction<DatabaseSchema>,
  orgId: string,
  at: number,
) {
  await db
    .updateTable('organization_meta_settings')
    .set({ last_webhook_at: at })
    .where('org_id', '=', orgId)
    .where((eb) => eb.or([eb('last_webhook_at', 'is', null), eb('last_webhook_at', '<', at)]))
    .execute();
}

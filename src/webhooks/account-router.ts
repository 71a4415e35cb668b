// Routes an entry to the one organization that connected its Page (object page) or its Instagram
// account (object instagram) (R27, R43). facebook_page_id is unique, and so is an Instagram id since
// migration 0005 (a relinked account moves to the connection of its new Page: connections/instagram-link.ts).
// Two holders can therefore no longer occur; were they found, the event is routed nowhere rather than guessed.
import type { Kysely, Transaction } from 'kysely';
import type { Channel } from '../contract.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { inLists } from '../storage/statement-shapes.ts';

export type Route = { orgId: string } | { dropped: 'unknown_account' | 'ambiguous_account' };

/** Routes of many accounts, keyed `channel:accountId`: one statement per channel, not one per account. */
export async function routeAccounts(
  db: Kysely<DatabaseSchema>,
  accounts: Array<{ channel: Channel; accountId: string }>,
): Promise<Map<string, Route>> {
  const routes = new Map<string, Route>();
  for (const channel of ['messenger', 'instagram'] as const) {
    const ids = [...new Set(accounts.filter((a) => a.channel === channel).map((a) => a.accountId))];
    if (ids.length === 0) continue;
    const column = channel === 'messenger' ? 'facebook_page_id' : 'instagram_business_account_id';
    const holders = new Map<string, string[]>();
    for (const list of inLists(db, ids, 512)) {
      const rows = await db
        .selectFrom('organization_meta_settings')
        .select(['org_id', `${column} as account_id`])
        .where(column, 'in', list)
        .execute();
      for (const r of rows) {
        const id = r.account_id as string;
        holders.set(id, [...(holders.get(id) ?? []), r.org_id]);
      }
    }
    for (const id of ids) routes.set(`${channel}:${id}`, routeOf(holders.get(id) ?? []));
  }
  return routes;
}

function routeOf(orgIds: string[]): Route {
  if (orgIds.length === 0) return { dropped: 'unknown_account' };
  if (orgIds.length > 1) return { dropped: 'ambiguous_account' };
  return { orgId: orgIds[0]! };
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

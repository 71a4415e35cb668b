// Inbox test fixtures: a connection row seeded straight into the database (for suites without Meta,
// whose replies are refused before any Graph call), and small readers of the inbox tables.
import { pageTokenAad } from '../../src/connections/connection-service.ts';
import type { Harness } from './app-harness.ts';

export async function seedConnection(
  h: Harness,
  orgId: string,
  c: {
    pageId: string;
    igId?: string | null;
    status?: 'active' | 'needs_attention' | 'reauth_required';
    userId: string;
  },
): Promise<void> {
  const t = h.deps.now();
  await h.testDb.database.db
    .insertInto('organization_meta_settings')
    .values({
      org_id: orgId,
      facebook_page_id: c.pageId,
      facebook_page_name: 'Seeded Page',
      page_access_token: h.deps.cipher.encrypt('EAAseeded-page-token', pageTokenAad(orgId, c.pageId)),
      instagram_business_account_id: c.igId ?? null,
      instagram_username: c.igId ? 'seeded.ig' : null,
      status: c.status ?? 'active',
      status_reason: null,
      webhook_page: 'subscribed',
      webhook_app_page: 'subscribed',
      webhook_app_instagram: 'subscribed',
      connected_by_user_id: c.userId,
      connected_by_fb_user_id: null,
      connected_at: t,
      updated_at: t,
    })
    .execute();
}

export const pageIdFor = () => `9${String(Math.floor(Math.random() * 1e14)).padStart(14, '0')}`;

export async function countRows(
  h: Harness,
  table: 'webhook_deliveries' | 'messages' | 'conversations',
): Promise<number> {
  const r = await h.testDb.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function dropCount(h: Harness, reason: string, accountId: string): Promise<number> {
  const r = await h.testDb.database.db
    .selectFrom('webhook_drops')
    .select('count')
    .where('reason', '=', reason)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return r?.count ?? 0;
}

export async function messagesOf(h: Harness, orgId: string) {
  return h.testDb.database.db
    .selectFrom('messages')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('sent_at')
    .execute();
}

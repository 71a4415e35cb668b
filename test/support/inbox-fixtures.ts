// Inbox test fixtures: a connection row seeded straight into the database (for suites without Meta,
// whose replies are refused before any Graph call), and small readers of the inbox tables.
import { pageTokenAad } from '../../src/connections/connection-service.ts';
import type { Harness } from './app-harness.ts';

/** The Facebook user who made the organization's connection: the key of Meta's account callbacks. */
export async function connectingFacebookUser(h: Harness, orgId: string): Promise<string> {
  const row = await h.testDb.database.db
    .selectFrom('organization_meta_settings')
    .select('connected_by_fb_user_id')
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return row.connected_by_fb_user_id!;
}

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
    .values(
      connectionRow({
        orgId,
        pageId: c.pageId,
        pageName: 'Seeded Page',
        sealedToken: h.deps.cipher.encrypt('EAAseeded-page-token', pageTokenAad(orgId, c.pageId)),
        instagram: c.igId ? { id: c.igId, username: 'seeded.ig' } : null,
        status: c.status,
        userId: c.userId,
        at: t,
      }),
    )
    .execute();
}

/**
 * An organization_meta_settings row as a finished connect flow leaves it (subscribed everywhere), for
 * suites and the bench that seed connections straight into the database.
 */
export function connectionRow(c: {
  orgId: string;
  pageId: string;
  pageName: string;
  sealedToken: string;
  userId: string;
  at: number;
  instagram?: { id: string; username: string } | null;
  status?: 'active' | 'needs_attention' | 'reauth_required';
}) {
  return {
    org_id: c.orgId,
    facebook_page_id: c.pageId,
    facebook_page_name: c.pageName,
    page_access_token: c.sealedToken,
    instagram_business_account_id: c.instagram?.id ?? null,
    instagram_username: c.instagram?.username ?? null,
    status: c.status ?? 'active',
    status_reason: null,
    webhook_page: 'subscribed' as const,
    webhook_app_page: 'subscribed' as const,
    webhook_app_instagram: 'subscribed' as const,
    connected_by_user_id: c.userId,
    connected_by_fb_user_id: null,
    connected_at: c.at,
    updated_at: c.at,
  };
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

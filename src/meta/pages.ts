// The Pages a person granted, each with its linked Instagram account, and the webhook subscriptions
// at Page and app level. Field expansion keeps round trips flat: one `me/accounts` call per 100 Pages
// carries names, tokens, tasks and Instagram usernames. The seed's per-Page lookups remain as the
// fallback for a Page whose expansion came back without a username.
import { z } from 'zod';
import type { GraphClient } from './graph-client.ts';
import { GraphResponseError } from './graph-errors.ts';

export interface PageWithInstagram {
  id: string;
  name: string;
  accessToken: string;
  tasks: string[] | null;
  instagram: { id: string; username: string | null } | null;
}

const accountsPage = z.object({
  data: z.array(
    z.object({
      id: z.string().regex(/^\d+$/),
      name: z.string(),
      access_token: z.string().min(1),
      tasks: z.array(z.string()).optional(),
      instagram_business_account: z.object({ id: z.string(), username: z.string().optional() }).optional(),
    }),
  ),
  paging: z.object({ next: z.string().optional() }).optional(),
});

const MAX_PAGES_FOLLOWED = 100; // 10,000 Pages: a guard against a paging loop, far above real use.

export async function listPagesWithInstagram(
  client: GraphClient,
  userToken: string,
): Promise<PageWithInstagram[]> {
  const pages: PageWithInstagram[] = [];
  let path: string | null = 'me/accounts';
  let params: Record<string, string> | undefined = {
    fields: 'id,name,access_token,tasks,instagram_business_account{id,username}',
    limit: '100',
  };
  for (let n = 0; path; n++) {
    if (n >= MAX_PAGES_FOLLOWED) throw new GraphResponseError(200, 'me/accounts paging did not end');
    const res: z.infer<typeof accountsPage> = await client.request({
      method: 'GET',
      path,
      params,
      token: userToken,
      endpoint: 'me.accounts',
      schema: accountsPage,
    });
    for (const p of res.data) {
      pages.push({
        id: p.id,
        name: p.name,
        accessToken: p.access_token,
        tasks: p.tasks ?? null,
        instagram: p.instagram_business_account
          ? { id: p.instagram_business_account.id, username: p.instagram_business_account.username ?? null }
          : null,
      });
    }
    // The absolute `next` link already carries fields, limit and the cursor.
    path = res.paging?.next ?? null;
    params = undefined;
  }
  const missing = pages.filter((p) => p.instagram && p.instagram.username === null);
  await mapLimit(missing, 8, async (p) => {
    p.instagram!.username = await instagramUsername(client, p.instagram!.id, p.accessToken, p.id);
  });
  return dedupeById(pages);
}

const pageNode = z.object({
  id: z.string(),
  name: z.string().optional(),
  instagram_business_account: z.object({ id: z.string() }).optional(),
});
const igNode = z.object({ id: z.string(), username: z.string().optional() });

const pageTokenNode = z.object({ id: z.string(), access_token: z.string().min(1) });

/**
 * The Page's token as seen with this user token. Asked with the long-lived user token it never expires
 * (a Page token from a short-lived user token lasts an hour), which is why the connect flow lists Pages
 * with the short-lived token beside the long-lived exchange and then asks for the chosen Page's token.
 */
export async function pageAccessToken(client: GraphClient, pageId: string, userToken: string) {
  const page = await client.request({
    method: 'GET',
    path: pageId,
    params: { fields: 'id,access_token' },
    token: userToken,
    pageId,
    endpoint: 'page.get',
    schema: pageTokenNode,
  });
  return page.access_token;
}

/** The seed's per-Page lookup: GET /{page_id}?fields=instagram_business_account, then the username. */
export async function pageInstagram(client: GraphClient, pageId: string, pageToken: string) {
  const id = await pageInstagramId(client, pageId, pageToken);
  if (id === null) return null;
  return { id, username: await instagramUsername(client, id, pageToken, pageId) };
}

/** Only the id of the Instagram account linked to the Page now (null: none), one call. */
export async function pageInstagramId(
  client: GraphClient,
  pageId: string,
  pageToken: string,
): Promise<string | null> {
  const page = await client.request({
    method: 'GET',
    path: pageId,
    params: { fields: 'id,name,instagram_business_account' },
    token: pageToken,
    pageId,
    endpoint: 'page.get',
    schema: pageNode,
  });
  return page.instagram_business_account?.id ?? null;
}

export async function instagramUsername(
  client: GraphClient,
  igId: string,
  token: string,
  /** The Page the Instagram account is linked to, whose usage budget the lookup spends. */
  pageId?: string,
): Promise<string | null> {
  const ig = await client.request({
    method: 'GET',
    path: igId,
    params: { fields: 'username' },
    token,
    pageId,
    endpoint: 'ig.get',
    schema: igNode,
  });
  return ig.username ?? null;
}

const success = z.object({ success: z.union([z.boolean(), z.literal('true')]) });

/** Installs our app on the Page for these fields. `{"success": false}` is a failure (R31). */
export async function subscribePage(
  client: GraphClient,
  pageId: string,
  pageToken: string,
  fields: string[],
) {
  const r = await client.request({
    method: 'POST',
    path: `${pageId}/subscribed_apps`,
    params: { subscribed_fields: fields.join(',') },
    token: pageToken,
    pageId,
    endpoint: 'page.subscribed_apps',
    schema: success,
  });
  return r.success === true || r.success === 'true';
}

export async function unsubscribePage(client: GraphClient, pageId: string, pageToken: string) {
  const r = await client.request({
    method: 'DELETE',
    path: `${pageId}/subscribed_apps`,
    token: pageToken,
    pageId,
    endpoint: 'page.subscribed_apps',
    schema: success,
  });
  return r.success === true || r.success === 'true';
}

const pageSubscriptions = z.object({
  data: z.array(z.object({ id: z.string(), subscribed_fields: z.array(z.string()).optional() })),
});

export async function pageSubscribedFields(client: GraphClient, pageId: string, pageToken: string) {
  const r = await client.request({
    method: 'GET',
    path: `${pageId}/subscribed_apps`,
    token: pageToken,
    pageId,
    endpoint: 'page.subscribed_apps',
    schema: pageSubscriptions,
  });
  return r.data.find((a) => a.id === client.appId)?.subscribed_fields ?? null;
}

const appSubscriptions = z.object({
  data: z.array(
    z.object({
      object: z.string(),
      callback_url: z.string(),
      active: z.boolean().optional(),
      fields: z.array(z.object({ name: z.string() })).optional(),
    }),
  ),
});

export async function listAppSubscriptions(client: GraphClient) {
  const r = await client.request({
    method: 'GET',
    path: `${client.appId}/subscriptions`,
    token: client.appToken,
    endpoint: 'app.subscriptions',
    schema: appSubscriptions,
  });
  return r.data.map((s) => ({
    object: s.object,
    callbackUrl: s.callback_url,
    active: s.active ?? true,
    fields: (s.fields ?? []).map((f) => f.name),
  }));
}

/** App-level subscription; Meta verifies the callback URL with a GET before it answers. */
export async function subscribeApp(
  client: GraphClient,
  sub: { object: 'page' | 'instagram'; callbackUrl: string; fields: string[]; verifyToken: string },
) {
  const r = await client.request({
    method: 'POST',
    path: `${client.appId}/subscriptions`,
    params: {
      object: sub.object,
      callback_url: sub.callbackUrl,
      fields: sub.fields.join(','),
      verify_token: sub.verifyToken,
      include_values: 'true',
    },
    token: client.appToken,
    endpoint: 'app.subscriptions',
    schema: success,
  });
  return r.success === true || r.success === 'true';
}

function dedupeById(pages: PageWithInstagram[]) {
  const byId = new Map(pages.map((p) => [p.id, p] as const));
  return [...byId.values()];
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

// The baseline for the connect benchmark: the seed's callback algorithm, literally
// (shared/spec/seed-meta-oauth-connection-flow.txt), with plain fetch against the same emulator:
// code exchange, long-lived exchange, `me/accounts` with Graph's default paging (25) following
// `paging.next`, then for each Page `GET /{page}?fields=instagram_business_account` and, when linked,
// `GET /{ig}?fields=username` — one after another. With exactly one Page it auto-saves, so it also
// subscribes (Page, then the app for `page`, then for `instagram`), as the seed does. Every
// token-bearing call carries appsecret_proof, which the emulator (like Meta with "Require App Secret")
// insists on. No database, no cache: only the Graph round trips the seed waits for.
import { createHmac } from 'node:crypto';

export interface SeedConnectOptions {
  graphUrl: string;
  apiVersion: string;
  appId: string;
  appSecret: string;
  redirectUri: string;
  verifyToken: string;
  webhookCallbackUrl: string;
}

export interface SeedConnectResult {
  pages: number;
  withInstagram: number;
}

export async function seedConnect(o: SeedConnectOptions, code: string): Promise<SeedConnectResult> {
  const base = `${o.graphUrl}/${o.apiVersion}`;
  const proof = (token: string) => createHmac('sha256', o.appSecret).update(token).digest('hex');
  const graph = async (
    method: 'GET' | 'POST',
    url: string,
    params: Record<string, string>,
    token?: string,
  ) => {
    const u = new URL(url.startsWith('http') ? url : `${base}/${url}`);
    const all = new URLSearchParams(params);
    if (token) {
      all.set('access_token', token);
      all.set('appsecret_proof', proof(token));
    }
    let body: string | undefined;
    if (method === 'GET') for (const [k, v] of all) u.searchParams.set(k, v);
    else body = all.toString();
    const res = await fetch(u, {
      method,
      body,
      headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`seed baseline: ${method} ${u.pathname} answered ${res.status}`);
    return json;
  };

  const short = await graph('POST', 'oauth/access_token', {
    client_id: o.appId,
    client_secret: o.appSecret,
    redirect_uri: o.redirectUri,
    code,
  });
  const long = await graph('GET', 'oauth/access_token', {
    grant_type: 'fb_exchange_token',
    client_id: o.appId,
    client_secret: o.appSecret,
    fb_exchange_token: String(short.access_token),
  });
  const userToken = String(long.access_token);

  const pages: Array<{ id: string; access_token: string }> = [];
  let next: string | null = 'me/accounts';
  for (let n = 0; next && n < 1000; n++) {
    const res = await graph('GET', next, {}, userToken);
    pages.push(...(res.data as Array<{ id: string; access_token: string }>));
    next = ((res.paging as { next?: string } | undefined)?.next ?? null) as string | null;
  }

  let withInstagram = 0;
  for (const page of pages) {
    const node = await graph('GET', page.id, { fields: 'instagram_business_account' }, page.access_token);
    const ig = node.instagram_business_account as { id: string } | undefined;
    if (ig) {
      await graph('GET', ig.id, { fields: 'username' }, page.access_token);
      withInstagram++;
    }
  }

  if (pages.length === 1) {
    const page = pages[0]!;
    const appToken = `${o.appId}|${o.appSecret}`;
    await graph(
      'POST',
      `${page.id}/subscribed_apps`,
      { subscribed_fields: 'messages,message_deliveries,message_reads' },
      page.access_token,
    );
    for (const object of ['page', 'instagram']) {
      await graph(
        'POST',
        `${o.appId}/subscriptions`,
        {
          object,
          callback_url: o.webhookCallbackUrl,
          fields: object === 'page' ? 'messages,message_deliveries,message_reads' : 'messages',
          verify_token: o.verifyToken,
        },
        appToken,
      );
    }
  }
  return { pages: pages.length, withInstagram };
}

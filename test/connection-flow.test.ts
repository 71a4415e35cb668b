// The seed's connection flow end to end over real HTTP, with the emulator as Meta (CONTRACT §4),
// on SQLite with the memory cache and on PostgreSQL with Redis.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup, uniqueEmail } from './support/http-client.ts';
import {
  CALLBACK_PATH,
  connectAs,
  consent,
  type EmulatedMeta,
  emulated,
  emulatorFor,
  followCallback,
} from './support/meta-flow.ts';

type ConnectionBody = {
  connected: boolean;
  connection?: {
    facebook_page_id: string;
    facebook_page_name: string;
    instagram_business_account_id: string | null;
    instagram_username: string | null;
    status: string;
    webhooks: { page: string; app_page: string; app_instagram: string };
    connected_by: { user_id: string; email: string };
  };
};
type PendingBody = {
  pages: Array<{
    id: string;
    name: string;
    instagram_username: string | null;
    available: boolean;
    unavailable_reason: string | null;
  }>;
  expires_at: string;
};

const setups = [
  { db: 'sqlite' as const, redis: false },
  { db: 'postgres' as const, redis: true },
];

for (const setup of setups) {
  describe(`connection flow on ${setup.db}${setup.redis ? ' + redis' : ''}`, () => {
    let h: Harness;
    let meta: EmulatedMeta;
    before(async () => {
      h = await startHarness({ ...setup, meta: emulatorFor });
      meta = emulated(h.meta);
    });
    after(() => h.close());
    beforeEach(async () => {
      // Each test starts from an empty Meta and no connections (persona Pages are shared by tests).
      await meta.client.reset();
      await h.testDb.database.db.deleteFrom('organization_meta_settings').execute();
      await h.testDb.database.db.deleteFrom('jobs').execute();
    });

    const owner = async (org = 'Acme') => {
      const b = new Browser(h.url);
      const who = await signup(b, org);
      return { b, ...who };
    };
    const connectionRow = (orgId: string) =>
      h.testDb.database.db
        .selectFrom('organization_meta_settings')
        .selectAll()
        .where('org_id', '=', orgId)
        .executeTakeFirst();

    it('oauth-url: the dialog URL with the seven default scopes, a fresh state and an HttpOnly browser cookie (R1, R5)', async () => {
      const { b } = await owner();
      const res = await b.get<{ url: string }>('/api/integrations/meta/oauth-url');
      assert.equal(res.status, 200);
      const url = new URL(res.body.url);
      assert.equal(url.origin + url.pathname, `${meta.url}/v27.0/dialog/oauth`);
      assert.equal(url.searchParams.get('client_id'), meta.appId);
      assert.equal(url.searchParams.get('redirect_uri'), `${h.url}${CALLBACK_PATH}`);
      assert.equal(url.searchParams.get('response_type'), 'code');
      assert.equal(
        url.searchParams.get('scope'),
        'pages_messaging,instagram_manage_messages,pages_show_list,instagram_basic,pages_manage_metadata,business_management,pages_read_engagement',
      );
      const state = url.searchParams.get('state')!;
      assert.ok(state.length >= 43, 'at least 256 bits of state');
      assert.ok(
        !state.includes(h.url) && !/org|user/i.test(Buffer.from(state, 'base64url').toString('latin1')),
      );
      const cookie = res.headers.getSetCookie().join('\n');
      assert.match(cookie, /parley_oauth_browser=.*HttpOnly/i);
      const second = new URL((await b.get<{ url: string }>('/api/integrations/meta/oauth-url')).body.url);
      assert.notEqual(second.searchParams.get('state'), state, 'a new state per flow');
    });

    it('exactly one Page: saved, subscribed, active, redirect to the integrations tab without code or state (R7, R31)', async () => {
      const { b, orgId, email } = await owner();
      const result = await connectAs(b, meta, 'one');
      assert.equal(result.location, `${h.url}/settings/tab/integrations`);
      const status = await b.get<ConnectionBody>('/api/integrations/meta');
      assert.equal(status.body.connected, true);
      const c = status.body.connection!;
      assert.equal(c.status, 'active');
      assert.deepEqual(c.webhooks, {
        page: 'subscribed',
        app_page: 'subscribed',
        app_instagram: 'subscribed',
      });
      assert.ok(c.instagram_business_account_id);
      assert.ok(c.instagram_username);
      assert.equal(c.connected_by.email, email);
      const row = await connectionRow(orgId);
      assert.match(row!.page_access_token, /^v1\./, 'the token is stored sealed');
      const calls = await meta.client.calls();
      const endpoints = calls.map((x: { endpoint: string }) => x.endpoint);
      for (const e of [
        'oauth.code',
        'oauth.exchange',
        'me.accounts',
        'page.subscribed_apps',
        'app.subscriptions',
      ]) {
        assert.ok(endpoints.includes(e), `called ${e}`);
      }
    });

    it('the callback response carries no-store and no-referrer (R7)', async () => {
      const { b } = await owner();
      const { url } = (await b.get<{ url: string }>('/api/integrations/meta/oauth-url')).body;
      const callbackUrl = await consent(meta, url, 'none');
      const res = await b.get(callbackUrl);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    });

    it('several Pages: cached server-side, picker lists them with Instagram usernames, choice saves one (R22, R26)', async () => {
      const { b, orgId } = await owner();
      const result = await connectAs(b, meta, 'three');
      assert.equal(result.target, '/settings/tab/integrations?meta_select_page=true');
      assert.equal(await connectionRow(orgId), undefined, 'nothing saved before the choice');
      const pending = await b.get<PendingBody>('/api/integrations/meta/pending-pages');
      assert.equal(pending.status, 200);
      assert.equal(pending.body.pages.length, 3);
      assert.equal(pending.body.pages.filter((p) => p.instagram_username).length, 2);
      assert.ok(pending.body.pages.every((p) => p.available));
      assert.ok(!pending.text.includes('access_token') && !/EAA|token/i.test(pending.text));
      const expires = Date.parse(pending.body.expires_at) - h.clock.now();
      assert.equal(expires, 5 * 60 * 1000);

      const notInList = await b.post<{ error: { code: string } }>('/api/integrations/meta/select-page', {
        page_id: '999999',
      });
      assert.equal(notInList.status, 422);
      assert.equal(notInList.body.error.code, 'page_not_in_list');

      const chosen = pending.body.pages.find((p) => p.instagram_username)!;
      const [first, second] = await Promise.all([
        b.post<{ connection: { facebook_page_id: string; status: string } }>(
          '/api/integrations/meta/select-page',
          { page_id: chosen.id },
        ),
        b.post<{ connection: { facebook_page_id: string } }>('/api/integrations/meta/select-page', {
          page_id: chosen.id,
        }),
      ]);
      assert.equal(first.status, 200);
      assert.equal(second.status, 200, 'a double submit answers with the same connection');
      assert.equal(first.body.connection.facebook_page_id, chosen.id);
      assert.equal(first.body.connection.status, 'active');
      const rows = await h.testDb.database.db
        .selectFrom('organization_meta_settings')
        .select('org_id')
        .where('org_id', '=', orgId)
        .execute();
      assert.equal(rows.length, 1);
      const pageSubs = (await meta.client.calls()).filter(
        (x: { endpoint: string; method: string }) =>
          x.endpoint === 'page.subscribed_apps' && x.method === 'POST',
      );
      assert.equal(pageSubs.length, 1, 'one set of subscriptions for a double submit (R28)');
      const gone = await b.get<{ error: { code: string } }>('/api/integrations/meta/pending-pages');
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error.code, 'no_pending_pages');
    });

    it('a new Facebook Login replaces the list an earlier one left, whatever it ends in', async () => {
      const { b, orgId } = await owner();
      await connectAs(b, meta, 'three');
      assert.equal((await b.get('/api/integrations/meta/pending-pages')).status, 200);
      // The picker is left open; the admin logs in again and this time shares one Page: it is saved, and
      // the three-Page list is no longer offered ("Continue choosing" on the card).
      assert.equal((await connectAs(b, meta, 'one')).target, '/settings/tab/integrations');
      assert.ok(await connectionRow(orgId));
      const afterOne = await b.get<{ error: { code: string } }>('/api/integrations/meta/pending-pages');
      assert.equal(afterOne.status, 404);
      assert.equal(afterOne.body.error.code, 'no_pending_pages');
      // A list left open, then a login cancelled in Facebook's dialog: nothing left to choose from either.
      await connectAs(b, meta, 'three');
      assert.equal((await b.get('/api/integrations/meta/pending-pages')).status, 200);
      await connectAs(b, meta, 'one', { cancel: true });
      assert.equal((await b.get('/api/integrations/meta/pending-pages')).status, 404);
    });

    it('30 Pages: listing follows paging to the end', async () => {
      const { b } = await owner();
      const result = await connectAs(b, meta, 'thirty');
      assert.equal(result.target, '/settings/tab/integrations?meta_select_page=true');
      const pending = await b.get<PendingBody>('/api/integrations/meta/pending-pages');
      assert.equal(pending.body.pages.length, 30);
      assert.equal(new Set(pending.body.pages.map((p) => p.id)).size, 30);
    });

    it('the picker list expires after 5 minutes (injected clock, no sleep)', async () => {
      const { b } = await owner();
      await connectAs(b, meta, 'three');
      h.clock.advance(5 * 60 * 1000 - 1);
      assert.equal((await b.get('/api/integrations/meta/pending-pages')).status, 200);
      h.clock.advance(1);
      const expired = await b.get<{ error: { code: string } }>('/api/integrations/meta/pending-pages');
      assert.equal(expired.status, 404);
      assert.equal(expired.body.error.code, 'no_pending_pages');
      const select = await b.post('/api/integrations/meta/select-page', { page_id: '1' });
      assert.equal(select.status, 404);
    });

    it('0 Pages → meta_error=no_pages', async () => {
      const { b, orgId } = await owner();
      assert.equal(
        (await connectAs(b, meta, 'none')).target,
        '/settings/tab/integrations?meta_error=no_pages',
      );
      assert.equal(await connectionRow(orgId), undefined);
    });

    it('cancel → access_denied without calling the token endpoint (R8)', async () => {
      const { b } = await owner();
      const result = await connectAs(b, meta, 'one', { cancel: true });
      assert.equal(result.target, '/settings/tab/integrations?meta_error=access_denied');
      const calls = await meta.client.calls();
      assert.ok(!calls.some((x: { endpoint: string }) => x.endpoint === 'oauth.code'));
    });

    it('forged, replayed, expired and other-browser states → invalid_state (R1, R3, R10)', async () => {
      const { b, orgId } = await owner();
      const { url } = (await b.get<{ url: string }>('/api/integrations/meta/oauth-url')).body;
      const callbackUrl = await consent(meta, url, 'one');

      const forged = new URL(callbackUrl);
      forged.searchParams.set('state', 'A'.repeat(43));
      assert.equal(
        (await followCallback(b, forged.toString())).target,
        '/settings/tab/integrations?meta_error=invalid_state',
      );
      const missing = new URL(callbackUrl);
      missing.searchParams.delete('state');
      assert.equal(
        (await followCallback(b, missing.toString())).target,
        '/settings/tab/integrations?meta_error=invalid_state',
      );

      // Another browser (same user's session cookie copied, but not the flow's browser cookie).
      const other = new Browser(h.url);
      for (const [k, v] of b.cookies) if (!k.includes('oauth')) other.cookies.set(k, v);
      assert.equal(
        (await followCallback(other, callbackUrl)).target,
        '/settings/tab/integrations?meta_error=invalid_state',
      );
      assert.equal(await connectionRow(orgId), undefined, 'a state tried from another browser is spent');

      // A fresh flow completes once; a repeated hit shows the same outcome without a second exchange.
      const flow2 = await consent(
        meta,
        (await b.get<{ url: string }>('/api/integrations/meta/oauth-url')).body.url,
        'one',
      );
      assert.equal((await followCallback(b, flow2)).target, '/settings/tab/integrations');
      const exchangesBefore = (await meta.client.calls()).filter(
        (x: { endpoint: string }) => x.endpoint === 'oauth.code',
      ).length;
      assert.equal((await followCallback(b, flow2)).target, '/settings/tab/integrations');
      const exchangesAfter = (await meta.client.calls()).filter(
        (x: { endpoint: string }) => x.endpoint === 'oauth.code',
      ).length;
      assert.equal(exchangesAfter, exchangesBefore, 'the replay did not re-exchange the code');

      // Expired after 10 minutes.
      const flow3 = await consent(
        meta,
        (await b.get<{ url: string }>('/api/integrations/meta/oauth-url')).body.url,
        'one',
      );
      h.clock.advance(10 * 60 * 1000 + 1);
      assert.equal(
        (await followCallback(b, flow3)).target,
        '/settings/tab/integrations?meta_error=invalid_state',
      );
    });

    it('two tabs run two flows at once (R13)', async () => {
      const { b } = await owner();
      const urlA = (await b.get<{ url: string }>('/api/integrations/meta/oauth-url')).body.url;
      const urlB = (await b.get<{ url: string }>('/api/integrations/meta/oauth-url')).body.url;
      const cbA = await consent(meta, urlA, 'none');
      const cbB = await consent(meta, urlB, 'one');
      assert.equal((await followCallback(b, cbA)).target, '/settings/tab/integrations?meta_error=no_pages');
      assert.equal((await followCallback(b, cbB)).target, '/settings/tab/integrations');
    });

    it('a callback reaching another user, a logged-out browser or a demoted admin → invalid_state (R2, R9)', async () => {
      const { b, email } = await owner();
      const agentEmail = uniqueEmail('agent');
      await b.post('/api/organization/members', {
        email: agentEmail,
        password: 'agent password 1',
        role: 'admin',
      });
      const admin = new Browser(h.url);
      await admin.post('/api/auth/login', { email: agentEmail, password: 'agent password 1' });
      // The admin starts a flow; the owner's session in that browser must not complete it.
      const url = (await admin.get<{ url: string }>('/api/integrations/meta/oauth-url')).body.url;
      const cb = await consent(meta, url, 'one');
      const swapped = new Browser(h.url);
      for (const [k, v] of admin.cookies) if (k.includes('oauth')) swapped.cookies.set(k, v);
      await swapped.post('/api/auth/login', { email, password: 'correct horse battery' });
      assert.equal(
        (await followCallback(swapped, cb)).target,
        '/settings/tab/integrations?meta_error=invalid_state',
      );

      const url2 = (await b.get<{ url: string }>('/api/integrations/meta/oauth-url')).body.url;
      const cb2 = await consent(meta, url2, 'one');
      await b.post('/api/auth/logout');
      assert.equal(
        (await followCallback(b, cb2)).target,
        '/settings/tab/integrations?meta_error=invalid_state',
      );
    });

    it('a Page connected to another organization: refused on auto-save and greyed in the picker (R27)', async () => {
      const a = await owner('Org A');
      assert.equal((await connectAs(a.b, meta, 'one')).target, '/settings/tab/integrations');
      const other = await owner('Org B');
      assert.equal(
        (await connectAs(other.b, meta, 'one')).target,
        '/settings/tab/integrations?meta_error=page_already_connected',
      );
      assert.equal(await connectionRow(other.orgId), undefined);

      // In the picker: Org A takes one of persona "three"'s Pages; Org B sees it unavailable.
      await connectAs(a.b, meta, 'three');
      const listA = await a.b.get<PendingBody>('/api/integrations/meta/pending-pages');
      const taken = listA.body.pages[0]!;
      assert.equal((await a.b.post('/api/integrations/meta/select-page', { page_id: taken.id })).status, 200);
      await connectAs(other.b, meta, 'three');
      const listB = await other.b.get<PendingBody>('/api/integrations/meta/pending-pages');
      const greyed = listB.body.pages.find((p) => p.id === taken.id)!;
      assert.equal(greyed.available, false);
      assert.equal(greyed.unavailable_reason, 'connected_to_another_organization');
      const refused = await other.b.post<{ error: { code: string } }>('/api/integrations/meta/select-page', {
        page_id: taken.id,
      });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'page_already_connected');
    });

    it('a failed page subscription: saved as needs_attention, retried in the background until active (R31)', async () => {
      const { b, orgId } = await owner();
      await meta.client.faults({ endpoint: 'page.subscribed_apps', count: 3, status: 500, code: 2 });
      const result = await connectAs(b, meta, 'one');
      assert.equal(result.target, '/settings/tab/integrations?meta_error=webhook_subscription_failed');
      const c = (await b.get<ConnectionBody>('/api/integrations/meta')).body.connection!;
      assert.equal(c.status, 'needs_attention');
      assert.equal(c.webhooks.page, 'failed');
      const queued = await h.testDb.database.db
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', 'meta.subscribe')
        .execute();
      assert.equal(queued.length, 1);
      h.clock.advance(60_000);
      await h.features.meta.jobs.runDue();
      const healed = (await b.get<ConnectionBody>('/api/integrations/meta')).body.connection!;
      assert.equal(healed.status, 'active');
      assert.equal(healed.webhooks.page, 'subscribed');
      assert.ok(await connectionRow(orgId));
    });

    it('{"success": false} and a Retry button: retry-subscriptions re-subscribes on demand', async () => {
      const { b } = await owner();
      await meta.client.faults({ endpoint: 'app.subscriptions', count: 10, status: 500, code: 1 });
      assert.equal(
        (await connectAs(b, meta, 'one')).target,
        '/settings/tab/integrations?meta_error=webhook_subscription_failed',
      );
      await meta.client.clearFaults();
      const retried = await b.post<{ connection: { status: string; webhooks: { app_page: string } } }>(
        '/api/integrations/meta/retry-subscriptions',
      );
      assert.equal(retried.status, 200);
      assert.equal(retried.body.connection.status, 'active');
      assert.equal(retried.body.connection.webhooks.app_page, 'subscribed');
    });

    it('app-level subscriptions are not re-posted at every connect', async () => {
      const a = await owner();
      await connectAs(a.b, meta, 'one');
      const c = await owner();
      await connectAs(c.b, meta, 'three');
      const list = await c.b.get<PendingBody>('/api/integrations/meta/pending-pages');
      await c.b.post('/api/integrations/meta/select-page', { page_id: list.body.pages[2]!.id });
      const appPosts = (await meta.client.calls()).filter(
        (x: { endpoint: string; method: string }) =>
          x.endpoint === 'app.subscriptions' && x.method === 'POST',
      );
      assert.equal(appPosts.length, 2, 'page and instagram once each, for both connections together');
    });

    it('disconnect: deletes the row, unsubscribes the Page in the background, is idempotent (R47, R48)', async () => {
      const { b, orgId } = await owner();
      await connectAs(b, meta, 'one');
      const pageId = (await connectionRow(orgId))!.facebook_page_id;
      const first = await b.post<{ disconnected: boolean }>('/api/integrations/meta/disconnect');
      assert.equal(first.status, 200);
      assert.equal(first.body.disconnected, true);
      assert.equal(await connectionRow(orgId), undefined);
      assert.deepEqual((await b.get('/api/integrations/meta')).body, { connected: false });
      await h.features.meta.jobs.runDue();
      const deletes = (await meta.client.calls()).filter(
        (x: { endpoint: string; method: string; path: string }) =>
          x.endpoint === 'page.subscribed_apps' && x.method === 'DELETE' && x.path.includes(pageId),
      );
      assert.equal(deletes.length, 1);
      const again = await b.post<{ disconnected: boolean }>('/api/integrations/meta/disconnect');
      assert.equal(again.body.disconnected, false);
      // The same Page can be connected again afterwards.
      assert.equal((await connectAs(b, meta, 'one')).target, '/settings/tab/integrations');
    });

    it('tenancy and roles: agents get 403, other organizations see nothing, CSRF holds (R23–R25)', async () => {
      const a = await owner('Tenant A');
      await connectAs(a.b, meta, 'three');
      const agentEmail = uniqueEmail('agent');
      await a.b.post('/api/organization/members', {
        email: agentEmail,
        password: 'agent password 1',
        role: 'agent',
      });
      const agent = new Browser(h.url);
      await agent.post('/api/auth/login', { email: agentEmail, password: 'agent password 1' });
      assert.equal((await agent.get('/api/integrations/meta/oauth-url')).status, 403);
      assert.equal((await agent.get('/api/integrations/meta/pending-pages')).status, 403);
      assert.equal((await agent.post('/api/integrations/meta/select-page', { page_id: '1' })).status, 403);
      assert.equal((await agent.post('/api/integrations/meta/disconnect')).status, 403);
      assert.equal((await agent.get('/api/integrations/meta')).status, 200, 'agents may read the status');

      const bOrg = await owner('Tenant B');
      assert.equal(
        (await bOrg.b.get('/api/integrations/meta/pending-pages')).status,
        404,
        "B cannot see A's pending Pages",
      );
      const aList = await a.b.get<PendingBody>('/api/integrations/meta/pending-pages');
      const pick = await bOrg.b.post('/api/integrations/meta/select-page', {
        page_id: aList.body.pages[0]!.id,
      });
      assert.equal(pick.status, 404);
      const csrf = await a.b.post<{ error: { code: string } }>(
        '/api/integrations/meta/select-page',
        { page_id: aList.body.pages[0]!.id },
        { origin: 'https://evil.example' },
      );
      assert.equal(csrf.status, 403);
      assert.equal(csrf.body.error.code, 'csrf_rejected');
      assert.equal(
        (await a.b.get('/api/integrations/meta/pending-pages')).status,
        200,
        'the refused request consumed nothing',
      );
      assert.equal((await new Browser(h.url).get('/api/integrations/meta/oauth-url')).status, 401);
    });

    it('bad input: malformed page_id and junk callback queries never 5xx', async () => {
      const { b } = await owner();
      await connectAs(b, meta, 'three');
      const bad = await b.post<{ error: { code: string } }>('/api/integrations/meta/select-page', {
        page_id: { $ne: 1 },
      });
      assert.equal(bad.status, 400);
      for (const q of [
        '',
        '?code=x',
        '?state=&code=',
        '?error=server_error&state=x',
        '?code[]=1&state[]=2',
        `?state=${'x'.repeat(5000)}`,
      ]) {
        const res = await b.get(`${CALLBACK_PATH}${q}`);
        assert.equal(res.status, 302, q);
        assert.match(res.headers.get('location')!, /meta_error=invalid_state$/);
      }
    });
  });
}

// Connection health (issue 6): revocation noticed by the health check, reconnect in place, the
// grant-shrink warning, Meta's deauthorize and data-deletion callbacks (R49), and the activity log.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { claimSchedule } from '../src/jobs/schedule.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { addMember, Browser, signup } from './support/http-client.ts';
import { connectingFacebookUser } from './support/inbox-fixtures.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';

type Status = {
  connected: boolean;
  connection: {
    status: string;
    status_reason: string | null;
    facebook_page_id: string;
    last_health_check_at: string | null;
  };
};
type Activity = { events: Array<{ kind: string; actor: string; detail: string | null }> };

const setups = [
  { db: 'sqlite' as const, redis: false },
  { db: 'postgres' as const, redis: true },
];

for (const setup of setups) {
  describe(`connection health on ${setup.db}`, () => {
    let h: Harness;
    let meta: EmulatedMeta;
    before(async () => {
      h = await startHarness({ ...setup, meta: emulatorFor, realClock: true });
      meta = emulated(h.meta);
    });
    after(() => h.close());
    beforeEach(async () => {
      await meta.client.reset();
      await h.testDb.database.db.deleteFrom('organization_meta_settings').execute();
      await h.testDb.database.db.deleteFrom('jobs').execute();
    });

    const connected = async (persona = 'one') => {
      const b = new Browser(h.url);
      const who = await signup(b);
      assert.equal((await connectAs(b, meta, persona)).target, '/settings/tab/integrations');
      const status = (await b.get<Status>('/api/integrations/meta')).body;
      return { b, ...who, pageId: status.connection.facebook_page_id };
    };
    const fbUserOf = (orgId: string) => connectingFacebookUser(h, orgId);

    it('a revoked token: the health check flips the connection to reauth_required and logs it (R32)', async () => {
      const { b, pageId } = await connected();
      const healthy = await b.post<{ connection: { status: string; last_health_check_at: string | null } }>(
        '/api/integrations/meta/health-check',
      );
      assert.equal(healthy.body.connection.status, 'active');
      assert.ok(healthy.body.connection.last_health_check_at);
      await meta.client.revoke({ page_id: pageId, subcode: 460 });
      const checked = await b.post<{ connection: { status: string; status_reason: string } }>(
        '/api/integrations/meta/health-check',
      );
      assert.equal(checked.body.connection.status, 'reauth_required');
      assert.match(checked.body.connection.status_reason, /reconnect/i);
      const log = (await b.get<Activity>('/api/integrations/meta/activity')).body.events;
      assert.equal(log[0]?.kind, 'token_rejected');
      assert.equal(log[0]?.actor, 'Parley');
    });

    it('reconnect restores active in place: same Page, same connection date (issue 6)', async () => {
      const { b, pageId, orgId } = await connected();
      const before = (await b.get<{ connection: { connected_at: string } }>('/api/integrations/meta')).body
        .connection;
      await meta.client.revoke({ page_id: pageId });
      await b.post('/api/integrations/meta/health-check');
      assert.equal((await b.get<Status>('/api/integrations/meta')).body.connection.status, 'reauth_required');
      assert.equal((await connectAs(b, meta, 'one')).target, '/settings/tab/integrations');
      const after = (
        await b.get<{ connection: { status: string; connected_at: string; facebook_page_id: string } }>(
          '/api/integrations/meta',
        )
      ).body.connection;
      assert.equal(after.status, 'active');
      assert.equal(after.facebook_page_id, pageId);
      assert.equal(after.connected_at, before.connected_at);
      const rows = await h.testDb.database.db
        .selectFrom('organization_meta_settings')
        .where('org_id', '=', orgId)
        .select('org_id')
        .execute();
      assert.equal(rows.length, 1);
      const kinds = (await b.get<Activity>('/api/integrations/meta/activity')).body.events.map((e) => e.kind);
      assert.ok(kinds.includes('reconnected'));
    });

    it('a missing permission is named: needs_attention with the permission (issue 6)', async () => {
      const b = new Browser(h.url);
      await signup(b);
      const result = await connectAs(b, meta, 'one', { declineScopes: ['pages_manage_metadata'] });
      assert.equal(result.target, '/settings/tab/integrations?meta_error=webhook_subscription_failed');
      const checked = await b.post<{ connection: { status: string; status_reason: string } }>(
        '/api/integrations/meta/health-check',
      );
      assert.equal(checked.body.connection.status, 'needs_attention');
      assert.match(checked.body.connection.status_reason, /pages_manage_metadata/);
    });

    it('a second login that drops a connected Page is warned about before anything is saved (grant shrink)', async () => {
      const b = new Browser(h.url);
      const { orgId } = await signup(b);
      await connectAs(b, meta, 'three');
      const list = await b.get<{ pages: Array<{ id: string }> }>('/api/integrations/meta/pending-pages');
      const [first, second, third] = list.body.pages.map((p) => p.id);
      await b.post('/api/integrations/meta/select-page', { page_id: first });

      const other = new Browser(h.url);
      await signup(other, 'Second org');
      const result = await connectAs(other, meta, 'three', { pageIds: [second!, third!] });
      assert.equal(
        result.target,
        '/settings/tab/integrations?meta_select_page=true&meta_warning=grant_shrink',
      );
      const pending = await other.get<{ dropped_pages: Array<{ id: string; same_organization: boolean }> }>(
        '/api/integrations/meta/pending-pages',
      );
      assert.deepEqual(
        pending.body.dropped_pages.map((p) => p.id),
        [first],
      );
      assert.equal(pending.body.dropped_pages[0]!.same_organization, false);
      const otherRows = await h.testDb.database.db
        .selectFrom('organization_meta_settings')
        .select('org_id')
        .where('org_id', '!=', orgId)
        .execute();
      assert.equal(otherRows.length, 0, 'nothing saved before the admin chose');
    });

    it('deauthorize: a valid signed_request marks that user’s connections reauth_required; a forged one changes nothing (R49)', async () => {
      const { b, orgId } = await connected();
      const fbUser = await fbUserOf(orgId);
      const forged = await fetch(`${h.url}/integrations/meta-messaging/deauthorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `signed_request=${signedRequest({ algorithm: 'HMAC-SHA256', user_id: fbUser }, 'wrong-secret')}`,
      });
      assert.equal(forged.status, 400);
      const expired = await fetch(`${h.url}/integrations/meta-messaging/deauthorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `signed_request=${signedRequest({ algorithm: 'HMAC-SHA256', user_id: fbUser, expires: 1 }, meta.appSecret)}`,
      });
      assert.equal(expired.status, 400);
      assert.equal((await b.get<Status>('/api/integrations/meta')).body.connection.status, 'active');

      const sent = await meta.client.deauthorize({
        user_id: fbUser,
        url: `${h.url}/integrations/meta-messaging/deauthorize`,
      });
      assert.equal(sent.status, 200);
      const status = (await b.get<Status>('/api/integrations/meta')).body.connection;
      assert.equal(status.status, 'reauth_required');
      const log = (await b.get<Activity>('/api/integrations/meta/activity')).body.events;
      assert.equal(log[0]?.kind, 'deauthorized');
      assert.equal(log[0]?.actor, 'Meta');
    });

    it('data deletion: deletes that user’s connections and tokens, answers {url, confirmation_code}, status page works (R49)', async () => {
      const { b, orgId } = await connected();
      const fbUser = await fbUserOf(orgId);
      const forged = await fetch(`${h.url}/integrations/meta-messaging/data-deletion`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'signed_request=abc.def',
      });
      assert.equal(forged.status, 400);
      assert.equal((await b.get<Status>('/api/integrations/meta')).body.connected, true);

      const sent = await meta.client.dataDeletion({
        user_id: fbUser,
        url: `${h.url}/integrations/meta-messaging/data-deletion`,
      });
      assert.equal(sent.status, 200);
      const answer = JSON.parse(sent.body as string) as { url: string; confirmation_code: string };
      assert.match(answer.confirmation_code, /^[A-Za-z0-9]+$/);
      assert.equal(
        answer.url,
        `${h.url}/integrations/meta-messaging/data-deletion/status?code=${answer.confirmation_code}`,
      );
      assert.deepEqual((await b.get('/api/integrations/meta')).body, { connected: false });
      const page = await fetch(answer.url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Olivia&#39;s Bakery/);
      assert.equal(
        (await fetch(`${h.url}/integrations/meta-messaging/data-deletion/status?code=nope`)).status,
        404,
      );
    });

    it('a connection saved without its Facebook user id gets it from the health check, so data deletion finds it (issue 11 item 8, R49)', async () => {
      const { b, orgId } = await connected();
      const fbUser = await fbUserOf(orgId);
      // An older row: saved before connect required the id.
      await h.testDb.database.db
        .updateTable('organization_meta_settings')
        .set({ connected_by_fb_user_id: null })
        .where('org_id', '=', orgId)
        .execute();
      assert.equal((await b.post('/api/integrations/meta/health-check')).status, 200);
      assert.equal(await fbUserOf(orgId), fbUser, 'debug_token named the user');
      const sent = await meta.client.dataDeletion({
        user_id: fbUser,
        url: `${h.url}/integrations/meta-messaging/data-deletion`,
      });
      assert.equal(sent.status, 200);
      assert.deepEqual((await b.get('/api/integrations/meta')).body, { connected: false });
    });

    it('refresh Instagram link re-reads the linked account without a login', async () => {
      const { b } = await connected();
      const res = await b.post<{ connection: { instagram_username: string | null } }>(
        '/api/integrations/meta/refresh-instagram',
      );
      assert.equal(res.status, 200);
      assert.equal(res.body.connection.instagram_username, 'olivias.bakery');
      const calls = (await meta.client.calls()).map((c: { endpoint: string }) => c.endpoint);
      assert.ok(calls.includes('page.get') && calls.includes('ig.get'), 'used the per-Page lookups');
    });

    it('Meta down or refusing during "Check now" and "Refresh Instagram link": a clear 502 or 422, never a 500, nothing changed', async () => {
      const { b } = await connected();
      const before = (await b.get<Status>('/api/integrations/meta')).body.connection;
      // Every try of the client (three) fails as Meta's passing errors do.
      await meta.client.faults({ endpoint: '*', count: 9, status: 503, code: 2 });
      const checked = await b.post<{ error: { code: string; message: string } }>(
        '/api/integrations/meta/health-check',
      );
      assert.equal(checked.status, 502, 'not "checked: active" when nothing could be checked');
      assert.equal(checked.body.error.code, 'meta_unavailable');
      assert.match(checked.body.error.message, /nothing was checked or changed/);
      const refreshed = await b.post<{ error: { code: string } }>('/api/integrations/meta/refresh-instagram');
      assert.equal(refreshed.status, 502);
      assert.equal(refreshed.body.error.code, 'meta_unavailable');
      await meta.client.clearFaults();

      await meta.client.faults({ endpoint: 'page.get', count: 1, status: 403, code: 10 });
      const refused = await b.post<{ error: { code: string; message: string } }>(
        '/api/integrations/meta/refresh-instagram',
      );
      assert.equal(refused.status, 422);
      assert.equal(refused.body.error.code, 'meta_refused');
      assert.match(refused.body.error.message, /lack of a permission \(Meta error 10\)/);
      const after = (await b.get<Status>('/api/integrations/meta')).body.connection;
      assert.deepEqual(after, before, 'the connection is as it was');
    });

    it('the activity log records who did what; agents cannot read it', async () => {
      const { b, email } = await connected();
      await b.post('/api/integrations/meta/disconnect');
      const log = (await b.get<Activity>('/api/integrations/meta/activity')).body.events;
      assert.deepEqual(
        log.map((e) => e.kind),
        ['disconnected', 'subscribed', 'connected'],
      );
      assert.ok(log.every((e) => e.actor === email));
      const { browser: agent } = await addMember(b);
      assert.equal((await agent.get('/api/integrations/meta/activity')).status, 403);
    });

    it('the periodic health check runs once per period across instances', async () => {
      const name = `test-schedule-${Date.now()}`;
      const t = Date.now();
      const claims = await Promise.all(
        Array.from({ length: 5 }, () => claimSchedule(h.testDb.database.db, name, t, 60_000)),
      );
      assert.equal(claims.filter(Boolean).length, 1);
      assert.equal(await claimSchedule(h.testDb.database.db, name, t + 59_999, 60_000), false);
      assert.equal(await claimSchedule(h.testDb.database.db, name, t + 60_000, 60_000), true);
    });
  });
}

function signedRequest(payload: object, secret: string) {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${createHmac('sha256', secret).update(body).digest('base64url')}.${body}`;
}

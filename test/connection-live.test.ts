// Every change to the organization's Meta connection reaches its open screens at once, as a
// `connection.updated` live event (the health banner, the Meta card and the composer read the connection
// again on it). Before, only a reply refused for a rejected token sent one: a revocation found by the
// health check, Meta's deauthorize or data-deletion callbacks, a recovered subscription or another
// admin's disconnect showed only after a reload or a window focus. Against the Meta emulator, with no
// mail server (the live path does not depend on mail), on SQLite and PostgreSQL; the stream is an
// agent's, so every member hears it, not only the managers the mails go to.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { DATABASE_KINDS } from './support/databases.ts';
import { addMember, Browser, signup } from './support/http-client.ts';
import { connectingFacebookUser } from './support/inbox-fixtures.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';
import { cookieHeader, SseStream } from './support/sse-client.ts';

type Status = { connection: { status: string; facebook_page_id: string } };

for (const db of DATABASE_KINDS) {
  describe(`connection changes reach open screens live on ${db}`, () => {
    let h: Harness;
    let meta: EmulatedMeta;
    before(async () => {
      h = await startHarness({ db, meta: emulatorFor, realClock: true });
      meta = emulated(h.meta);
    });
    after(() => h.close());
    beforeEach(async () => {
      await meta.client.reset();
      await h.testDb.database.db.deleteFrom('organization_meta_settings').execute();
      await h.testDb.database.db.deleteFrom('jobs').execute();
    });

    /** An owner, and an agent whose live stream is open. */
    async function team() {
      const owner = new Browser(h.url);
      const o = await signup(owner, 'Live Bakery');
      const agent = (await addMember(owner)).browser;
      const stream = await SseStream.open(`${h.url}/api/events`, cookieHeader(agent.cookies));
      await stream.connected();
      /** Resolves on the first `connection.updated` after this call; fails after 5 s without one. */
      const next = () => {
        const seen = stream.events.length;
        return stream.waitFor((e) => e.event === 'connection.updated' && stream.events.indexOf(e) >= seen);
      };
      return { owner, orgId: o.orgId, stream, next };
    }

    const fbUserOf = (orgId: string) => connectingFacebookUser(h, orgId);

    it('connect, a revocation found by the health check, Meta deauthorizing, and a disconnect', async () => {
      const { owner, orgId, stream, next } = await team();
      try {
        let heard = next();
        assert.equal((await connectAs(owner, meta, 'one')).target, '/settings/tab/integrations');
        await heard;

        const pageId = (await owner.get<Status>('/api/integrations/meta')).body.connection.facebook_page_id;
        await meta.client.revoke({ page_id: pageId, subcode: 460 });
        heard = next();
        const checked = await owner.post<Status>('/api/integrations/meta/health-check');
        assert.equal(checked.body.connection.status, 'reauth_required');
        await heard;

        heard = next();
        assert.equal((await connectAs(owner, meta, 'one')).target, '/settings/tab/integrations');
        await heard;
        heard = next();
        const sent = await meta.client.deauthorize({
          user_id: await fbUserOf(orgId),
          url: `${h.url}/integrations/meta-messaging/deauthorize`,
        });
        assert.equal(sent.status, 200);
        await heard;
        assert.equal(
          (await owner.get<Status>('/api/integrations/meta')).body.connection.status,
          'reauth_required',
        );

        heard = next();
        assert.equal((await owner.post('/api/integrations/meta/disconnect')).status, 200);
        await heard;
      } finally {
        stream.close();
      }
    });

    it('a subscription the background retry recovers, and a data-deletion request', async () => {
      const { owner, orgId, stream, next } = await team();
      try {
        await meta.client.faults({ endpoint: 'page.subscribed_apps', count: 1, garbage: true });
        assert.match((await connectAs(owner, meta, 'one')).target, /webhook_subscription_failed/);
        const pageId = (await owner.get<Status>('/api/integrations/meta')).body.connection.facebook_page_id;

        let heard = next();
        await h.features.meta.subscriptions.runJob({ org_id: orgId, page_id: pageId });
        await heard;
        assert.equal((await owner.get<Status>('/api/integrations/meta')).body.connection.status, 'active');

        heard = next();
        const sent = await meta.client.dataDeletion({
          user_id: await fbUserOf(orgId),
          url: `${h.url}/integrations/meta-messaging/data-deletion`,
        });
        assert.equal(sent.status, 200);
        await heard;
        assert.deepEqual((await owner.get('/api/integrations/meta')).body, { connected: false });
      } finally {
        stream.close();
      }
    });
  });
}

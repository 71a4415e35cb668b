// Issue 11 item 11: an Instagram account moved from org A's Page to org B's Page. Meta links an account
// to one Page at a time, so its newest answer wins: when B connects the Page that now holds it (or the
// health check, or refresh Instagram, reads the new link), A's connection lets go of it with an
// activity-log entry that says why, and its DMs go to B instead of being dropped as ambiguous (R27, R43:
// each event is routed to exactly one organization). On SQLite and PostgreSQL; the emulator relinks.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { DATABASE_KINDS } from './support/databases.ts';
import { Browser, signup } from './support/http-client.ts';
import { dropCount } from './support/inbox-fixtures.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';
import { postWebhook } from './support/webhook-client.ts';
import { inbound, instagramBody, mid, psid } from './support/webhook-payloads.ts';

type Status = {
  connected: boolean;
  connection: { facebook_page_id: string; instagram_business_account_id: string | null };
};
type Activity = { events: Array<{ kind: string; actor: string; detail: string | null }> };

for (const db of DATABASE_KINDS) {
  describe(`an Instagram account relinked to another organization's Page on ${db}`, () => {
    let h: Harness;
    let meta: EmulatedMeta;
    before(async () => {
      h = await startHarness({ db, redis: db === 'postgres', meta: emulatorFor, realClock: true });
      meta = emulated(h.meta);
    });
    after(() => h.close());
    beforeEach(async () => {
      await meta.client.reset();
      await h.testDb.database.db.deleteFrom('organization_meta_settings').execute();
    });

    const personaPages = async (key: string) =>
      (await meta.client.state()).personas.find((p) => p.key === key)!.pages;

    /** Org A on Olivia's Page with its Instagram account X. */
    const orgA = async () => {
      const b = new Browser(h.url);
      const who = await signup(b, 'Org A');
      await connectAs(b, meta, 'one');
      const status = (await b.get<Status>('/api/integrations/meta')).body.connection;
      assert.ok(status.instagram_business_account_id);
      return { b, ...who, igId: status.instagram_business_account_id };
    };
    /** Org B on Theo's Garage (no Instagram account at first). */
    const orgB = async () => {
      const b = new Browser(h.url);
      const who = await signup(b, 'Org B');
      const garage = (await personaPages('three'))[2]!;
      await connectAs(b, meta, 'three');
      const chosen = await b.post('/api/integrations/meta/select-page', { page_id: garage.id });
      assert.equal(chosen.status, 200);
      return { b, ...who, pageId: garage.id };
    };

    const holders = async (igId: string) =>
      (
        await h.testDb.database.db
          .selectFrom('organization_meta_settings')
          .select('org_id')
          .where('instagram_business_account_id', '=', igId)
          .execute()
      ).map((r) => r.org_id);

    /** A customer's DM to the Instagram account: stored for exactly `orgId`, never dropped as ambiguous. */
    const assertDmRoutedTo = async (igId: string, orgId: string) => {
      const sent = mid();
      const body = JSON.stringify(
        instagramBody(igId, [
          inbound(igId, psid(), { mid: sent, text: 'still open?', timestamp: Date.now() }),
        ]),
      );
      assert.equal((await postWebhook(h.url, body, { secret: meta.appSecret })).status, 200);
      await h.features.inbox.processor.drain();
      assert.equal(await dropCount(h, 'ambiguous_account', igId), 0, 'not dropped as ambiguous');
      const stored = await h.testDb.database.db
        .selectFrom('messages')
        .select('org_id')
        .where('mid', '=', sent)
        .execute();
      assert.deepEqual(
        stored.map((m) => m.org_id),
        [orgId],
      );
    };

    const assertAExplained = async (a: Browser) => {
      const status = (await a.get<Status>('/api/integrations/meta')).body;
      assert.equal(status.connected, true, 'A keeps its Page');
      assert.equal(status.connection.instagram_business_account_id, null);
      const log = (await a.get<Activity>('/api/integrations/meta/activity')).body.events;
      assert.match(log[0]?.detail ?? '', /another Facebook Page/, JSON.stringify(log[0]));
    };

    it('org B connecting the Page the account moved to takes it from org A; DMs go to B', async () => {
      const a = await orgA();
      const garage = (await personaPages('three'))[2]!;
      await meta.client.linkInstagram({ ig_id: a.igId, page_id: garage.id });
      const b = await orgB();
      assert.equal(
        (await b.b.get<Status>('/api/integrations/meta')).body.connection.instagram_business_account_id,
        a.igId,
      );
      assert.deepEqual(await holders(a.igId), [b.orgId]);
      await assertAExplained(a.b);
      await assertDmRoutedTo(a.igId, b.orgId);
    });

    it('the health check alone notices the move', async () => {
      const a = await orgA();
      const b = await orgB();
      await meta.client.linkInstagram({ ig_id: a.igId, page_id: b.pageId });
      assert.equal((await b.b.post('/api/integrations/meta/health-check')).status, 200);
      assert.deepEqual(await holders(a.igId), [b.orgId]);
      await assertAExplained(a.b);
      await assertDmRoutedTo(a.igId, b.orgId);
    });

    it('refresh Instagram on the new Page takes the account too', async () => {
      const a = await orgA();
      const b = await orgB();
      await meta.client.linkInstagram({ ig_id: a.igId, page_id: b.pageId });
      assert.equal((await b.b.post('/api/integrations/meta/refresh-instagram')).status, 200);
      assert.deepEqual(await holders(a.igId), [b.orgId]);
      await assertAExplained(a.b);
    });

    it('the database holds an Instagram account on one connection at most', async () => {
      const a = await orgA();
      const b = await orgB();
      await assert.rejects(
        h.testDb.database.db
          .updateTable('organization_meta_settings')
          .set({ instagram_business_account_id: a.igId })
          .where('org_id', '=', b.orgId)
          .execute(),
      );
    });
  });
}

// The connect flow lists Pages with the short-lived user token beside the long-lived exchange (one
// round trip fewer; issue 15 target 6). A Page token read from that listing would expire within the
// hour, so the token Parley keeps must be the one asked for with the long-lived user token, which
// never expires — on the one-Page path and on the picker path alike (R18, R14). Meta's (the
// emulator's) debug_token is the judge: `expires_at: 0` means never.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pageTokenAad } from '../src/connections/page-token.ts';
import { PendingPagesStore } from '../src/connections/pending-pages-store.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';

for (const db of ['sqlite', 'postgres'] as const) {
  describe(`the kept Page token never expires on ${db}`, () => {
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
    });

    /** Meta's word on the stored Page token of this organization. */
    async function storedTokenInfo(orgId: string) {
      const row = await h.testDb.database.db
        .selectFrom('organization_meta_settings')
        .selectAll()
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow();
      const token = h.deps.cipher.decrypt(row.page_access_token, pageTokenAad(orgId, row.facebook_page_id));
      const url = new URL(`${meta.url}/v27.0/debug_token`);
      url.searchParams.set('input_token', token);
      const res = await fetch(url, { headers: { authorization: `Bearer ${meta.appId}|${meta.appSecret}` } });
      const body = (await res.json()) as { data: { type: string; is_valid: boolean; expires_at: number } };
      return body.data;
    }

    it('one Page, saved by the callback itself', async () => {
      const b = new Browser(h.url);
      const who = await signup(b, 'One Page Co');
      const result = await connectAs(b, meta, 'one');
      assert.equal(result.target, '/settings/tab/integrations');
      const info = await storedTokenInfo(who.orgId);
      assert.equal(info.type, 'PAGE');
      assert.equal(info.is_valid, true);
      assert.equal(info.expires_at, 0, 'a Page token from the long-lived user token never expires');
    });

    it('several Pages: the pending list holds no Page token, and the chosen one never expires', async () => {
      const b = new Browser(h.url);
      const who = await signup(b, 'Three Pages Co');
      const result = await connectAs(b, meta, 'three');
      assert.match(result.target, /meta_select_page=true/);
      const store = new PendingPagesStore(h.deps.cache, h.deps.cipher, h.deps.now);
      const entry = await store.load(who.orgId, who.userId);
      assert.ok(entry, 'the list waits for a choice');
      for (const page of entry.pages) {
        assert.equal('accessToken' in page, false, `no (short-lived) token kept for ${page.name}`);
      }
      const pending = await b.get<{ pages: Array<{ id: string; available: boolean }> }>(
        '/api/integrations/meta/pending-pages',
      );
      const choice = pending.body.pages.find((p) => p.available)!;
      const chosen = await b.post('/api/integrations/meta/select-page', { page_id: choice.id });
      assert.equal(chosen.status, 200);
      const info = await storedTokenInfo(who.orgId);
      assert.equal(info.is_valid, true);
      assert.equal(info.expires_at, 0, 'a Page token from the long-lived user token never expires');
    });

    it('Meta refusing the chosen Page token: 502 meta_unavailable, nothing saved, the list kept for a retry', async () => {
      const b = new Browser(h.url);
      const who = await signup(b, 'Flaky Co');
      await connectAs(b, meta, 'three');
      const pending = await b.get<{ pages: Array<{ id: string; available: boolean }> }>(
        '/api/integrations/meta/pending-pages',
      );
      const choice = pending.body.pages.find((p) => p.available)!;
      await meta.client.faults({ endpoint: 'page.get', count: 3, status: 500 });
      const refused = await b.post<{ error: { code: string } }>('/api/integrations/meta/select-page', {
        page_id: choice.id,
      });
      assert.equal(refused.status, 502);
      assert.equal(refused.body.error.code, 'meta_unavailable');
      const rows = await h.testDb.database.db
        .selectFrom('organization_meta_settings')
        .select('org_id')
        .where('org_id', '=', who.orgId)
        .execute();
      assert.equal(rows.length, 0);
      const again = await b.post('/api/integrations/meta/select-page', { page_id: choice.id });
      assert.equal(again.status, 200, 'the list was given back, and the choice succeeds once Meta answers');
    });
  });
}

// Deletion must find every connection (issue 11 item 8, R47): Meta's deauthorize and data-deletion
// callbacks name a Facebook user, so a connection saved without `connected_by_fb_user_id` could never
// be found by them. At connect, debug_token is retried within the deadline; if it still cannot name
// the user, the connect is refused (token_exchange_failed) and nothing is saved.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';

describe('connect names the Facebook user or saves nothing (R47)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  before(async () => {
    h = await startHarness({ db: 'sqlite', meta: emulatorFor });
    meta = emulated(h.meta);
  });
  after(() => h.close());
  beforeEach(() => meta.client.reset());

  const savedRow = (orgId: string) =>
    h.testDb.database.db
      .selectFrom('organization_meta_settings')
      .selectAll()
      .where('org_id', '=', orgId)
      .executeTakeFirst();
  const personaUserId = async (key: string) =>
    (await meta.client.state()).personas.find((p) => p.key === key)!.user_id;

  it('debug_token failing once: retried, and the connection carries the user id', async () => {
    const b = new Browser(h.url);
    const { orgId } = await signup(b);
    await meta.client.faults({ endpoint: 'debug_token', count: 1, status: 500, code: 2 });
    assert.equal((await connectAs(b, meta, 'one')).target, '/settings/tab/integrations');
    assert.equal((await savedRow(orgId))?.connected_by_fb_user_id, await personaUserId('one'));
    assert.equal((await meta.client.calls({ endpoint: 'debug_token' })).length, 2);
  });

  for (const [label, fault] of [
    ['HTTP 500 on every attempt', { count: 3, status: 500 }],
    ['a timeout on every attempt', { count: 3, delay_ms: 1_500 }],
    ['a garbage body', { count: 1, garbage: true }],
  ] as const) {
    it(`debug_token still failing (${label}): refused with token_exchange_failed, no row`, async () => {
      const b = new Browser(h.url);
      const { orgId } = await signup(b);
      await meta.client.faults({ endpoint: 'debug_token', ...fault });
      assert.equal(
        (await connectAs(b, meta, 'one')).target,
        '/settings/tab/integrations?meta_error=token_exchange_failed',
      );
      assert.equal(await savedRow(orgId), undefined, 'no connection without its Facebook user');
      assert.deepEqual(await meta.client.listFaults(), [], 'every armed attempt reached Meta');
      if ('delay_ms' in fault) await new Promise((r) => setTimeout(r, fault.delay_ms));
    });
  }

  it('several Pages and debug_token failing: refused too, no Pages left waiting in the picker', async () => {
    const b = new Browser(h.url);
    const { orgId } = await signup(b);
    await meta.client.faults({ endpoint: 'debug_token', count: 3, status: 500 });
    assert.equal(
      (await connectAs(b, meta, 'three')).target,
      '/settings/tab/integrations?meta_error=token_exchange_failed',
    );
    assert.equal(await savedRow(orgId), undefined);
    assert.equal((await b.get('/api/integrations/meta/pending-pages')).status, 404);
  });
});

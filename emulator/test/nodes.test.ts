// Node reads: Page, Instagram account, customer profiles, plus Meta's headers and the 100/33 answer
// for anything absent or hidden.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { firstPageOf, Graph, pageToken, startTestEmulator, type TestEmulator, userToken } from './harness.ts';

describe('node reads', () => {
  let t: TestEmulator;
  let user: string;
  before(async () => {
    t = await startTestEmulator();
    user = await userToken(t, 'three');
  });
  after(() => t.emu.close());

  const pages = async () => (await t.client.state()).personas.find((p) => p.key === 'three')!.pages;

  it('GET /{page}?fields=instagram_business_account answers as the seed’s per-page lookup needs', async () => {
    const [withIg, , withoutIg] = await pages();
    const res = await t.graph.get(withIg!.id, user, { fields: 'instagram_business_account' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { instagram_business_account: { id: withIg!.instagram!.id }, id: withIg!.id });
    const none = await t.graph.get(withoutIg!.id, user, { fields: 'instagram_business_account' });
    assert.deepEqual(none.body, { id: withoutIg!.id });
    const defaults = await t.graph.get(withIg!.id, user);
    assert.deepEqual(defaults.body, { name: "Theo's Bikes", id: withIg!.id });
  });

  it('an Instagram account relinked to another Page leaves its old Page (control API instagram-link)', async () => {
    const [withIg, , withoutIg] = await pages();
    const ig = withIg!.instagram!.id;
    assert.deepEqual(await t.client.linkInstagram({ ig_id: ig, page_id: withoutIg!.id }), {
      ig_id: ig,
      page_id: withoutIg!.id,
    });
    const moved = await t.graph.get(withoutIg!.id, user, { fields: 'instagram_business_account' });
    assert.deepEqual(moved.body, { instagram_business_account: { id: ig }, id: withoutIg!.id });
    const left = await t.graph.get(withIg!.id, user, { fields: 'instagram_business_account' });
    assert.deepEqual(left.body, { id: withIg!.id });
    const [, second] = await pages();
    await assert.rejects(
      t.client.linkInstagram({ ig_id: ig, page_id: second!.id }),
      /another account linked/,
      'a Page holds one account',
    );
    await t.client.linkInstagram({ ig_id: ig, page_id: withIg!.id });
    const back = await t.graph.get(withIg!.id, user, { fields: 'instagram_business_account' });
    assert.deepEqual(back.body, { instagram_business_account: { id: ig }, id: withIg!.id });
  });

  it('GET /{page}?fields=access_token yields a working Page token, the same one each time', async () => {
    const [page] = await pages();
    const a = await t.graph.get(page!.id, user, { fields: 'id,name,access_token' });
    const b = await t.graph.get(page!.id, user, { fields: 'access_token' });
    assert.equal(a.body.access_token, b.body.access_token);
    assert.equal((await t.graph.get('me', a.body.access_token)).body.id, page!.id);
  });

  it('GET /{ig}?fields=username (and name) with the user or the Page token', async () => {
    const [page] = await pages();
    const ig = page!.instagram!;
    const res = await t.graph.get(ig.id, user, { fields: 'username' });
    assert.deepEqual(res.body, { username: 'theos.bikes', id: ig.id });
    const pt = await pageToken(t, user, page!.id);
    const viaPage = await t.graph.get(ig.id, pt, { fields: 'id,username,name' });
    assert.deepEqual(viaPage.body, { id: ig.id, username: 'theos.bikes', name: "Theo's Bikes" });
  });

  it('unknown ids and Pages of other people answer 100/33 GraphMethodException', async () => {
    const res = await t.graph.get('123456789', user);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.type, 'GraphMethodException');
    assert.deepEqual([res.body.error.code, res.body.error.error_subcode], [100, 33]);
    assert.match(
      res.body.error.message,
      /^Unsupported get request\. Object with ID '123456789' does not exist, cannot be loaded due to missing permissions, or does not support this operation/,
    );
    const other = await firstPageOf(t, 'one');
    const hidden = await t.graph.get(other.id, user);
    assert.equal(hidden.body.error.error_subcode, 33);
    const unknownPath = await t.graph.post('me/feed/whatever', user);
    assert.match(unknownPath.body.error.message, /^Unsupported post request/);
  });

  it('customer profiles: PSID and IGSID with the Page token only', async () => {
    const [page] = await pages();
    const pt = await pageToken(t, user, page!.id);
    const m = await t.client.inbound({ page_id: page!.id, customer_name: 'Chloé Dubois', text: 'hi' });
    const profile = await t.graph.get(m.customer.id, pt, { fields: 'first_name,last_name,name,profile_pic' });
    assert.equal(profile.status, 200, profile.text);
    assert.equal(profile.body.first_name, 'Chloé');
    assert.equal(profile.body.last_name, 'Dubois');
    assert.equal(profile.body.name, 'Chloé Dubois');
    assert.ok(profile.text.includes('Chlo\\u00e9'), 'Graph JSON is escaped like webhooks');
    const avatar = await fetch(profile.body.profile_pic);
    assert.equal(avatar.headers.get('content-type'), 'image/svg+xml');
    assert.equal(profile.body.id, m.customer.id);

    const ig = await t.client.inbound({ ig_id: page!.instagram!.id, customer_name: 'Hana Sato', text: 'yo' });
    const igProfile = await t.graph.get(ig.customer.id, pt, { fields: 'name,username' });
    assert.deepEqual(igProfile.body, { name: 'Hana Sato', username: 'hana.sato', id: ig.customer.id });

    assert.equal(
      (await t.graph.get(m.customer.id, user)).body.error.error_subcode,
      33,
      'not with a user token',
    );
    const unknownField = await t.graph.get(m.customer.id, pt, { fields: 'email' });
    assert.equal(
      unknownField.body.error.message,
      '(#100) Tried accessing nonexisting field (email) on node type (User)',
    );
  });

  it('unversioned paths work and are answered as the default version; versioned ones echo theirs', async () => {
    const unversioned = await new Graph(t.emu, '').get('me', user);
    assert.equal(unversioned.status, 200);
    assert.equal(unversioned.headers.get('facebook-api-version'), 'v27.0');
    const v24 = await new Graph(t.emu, 'v24.0').get('me', user);
    assert.equal(v24.headers.get('facebook-api-version'), 'v24.0');
  });

  it('sends Meta’s headers: trace id, usage (X-App-Usage; BUC for Page tokens)', async () => {
    const [page] = await pages();
    const res = await t.graph.get('me', user);
    assert.match(res.headers.get('x-fb-trace-id') ?? '', /^A[\w-]+$/);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=UTF-8');
    const usage = JSON.parse(res.headers.get('x-app-usage') ?? '');
    assert.deepEqual(Object.keys(usage), ['call_count', 'total_cputime', 'total_time']);
    assert.equal(res.headers.get('x-business-use-case-usage'), null);
    const pt = await pageToken(t, user, page!.id);
    const pageCall = await t.graph.get('me', pt);
    const buc = JSON.parse(pageCall.headers.get('x-business-use-case-usage') ?? '');
    assert.deepEqual(Object.keys(buc), [page!.id]);
    assert.deepEqual(Object.keys(buc[page!.id][0]), [
      'type',
      'call_count',
      'total_cputime',
      'total_time',
      'estimated_time_to_regain_access',
    ]);
    const errorBody = await t.graph.get('nope', user);
    assert.equal(errorBody.body.error.fbtrace_id, errorBody.headers.get('x-fb-trace-id'));
  });
});

// me/accounts: paging with absolute next links, field expansion, default fields, and the two ways
// Pages go missing (no pages_show_list, Business-portfolio Pages without business_management).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { APP_SCOPES, startTestEmulator, type TestEmulator, userToken } from './harness.ts';

describe('me/accounts', () => {
  let t: TestEmulator;
  let tara: string;
  before(async () => {
    t = await startTestEmulator();
    tara = await userToken(t, 'thirty');
  });
  after(() => t.emu.close());

  it('pages 30 Pages at 25 by default; following the absolute paging.next reaches exactly 30', async () => {
    const first = await t.graph.get('me/accounts', tara, {
      fields: 'id,name,access_token,instagram_business_account{id,username}',
    });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.data.length, 25);
    assert.ok(first.body.paging.cursors.before && first.body.paging.cursors.after);
    assert.equal(first.body.paging.previous, undefined);
    const next = new URL(first.body.paging.next);
    assert.equal(next.origin, t.emu.url, 'absolute, on the host the caller used');
    assert.equal(next.pathname, '/v27.0/100000000000004/accounts', 'Meta names the user, not "me"');
    for (const kept of ['access_token', 'appsecret_proof', 'fields'])
      assert.ok(next.searchParams.get(kept), kept);
    assert.equal(next.searchParams.get('limit'), '25');

    const ids = first.body.data.map((p: { id: string }) => p.id);
    let url: string | undefined = first.body.paging.next;
    let pages = 1;
    while (url) {
      const res = await t.graph.fetchUrl(url);
      assert.equal(res.status, 200, res.text);
      ids.push(...res.body.data.map((p: { id: string }) => p.id));
      url = res.body.paging?.next;
      pages++;
    }
    assert.equal(pages, 2);
    assert.equal(ids.length, 30);
    assert.equal(new Set(ids).size, 30);
  });

  it('honours limit, after and before', async () => {
    const seen: string[] = [];
    let res = await t.graph.get('me/accounts', tara, { fields: 'id', limit: '10' });
    const firstPage = res.body.data.map((p: { id: string }) => p.id);
    let count = 0;
    for (;;) {
      count++;
      seen.push(...res.body.data.map((p: { id: string }) => p.id));
      if (!res.body.paging.next) break;
      res = await t.graph.fetchUrl(res.body.paging.next);
    }
    assert.equal(count, 3);
    assert.equal(seen.length, 30);
    const back = await t.graph.fetchUrl(res.body.paging.previous);
    assert.equal(back.body.data.length, 10);
    assert.equal(back.body.data[0].id, seen[10]);
    const capped = await t.graph.get('me/accounts', tara, { limit: '500' });
    assert.equal(capped.body.data.length, 30, 'limit is capped at 100, so all 30 fit');
    assert.equal(capped.body.paging.next, undefined);
    assert.deepEqual(firstPage, seen.slice(0, 10));
  });

  it('expands instagram_business_account{id,username}; a Page without Instagram omits the key', async () => {
    const res = await t.graph.get('me/accounts', tara, {
      fields: 'id,name,access_token,tasks,instagram_business_account{id,username}',
      limit: '100',
    });
    const withIg = res.body.data.filter((p: Record<string, unknown>) => 'instagram_business_account' in p);
    assert.equal(withIg.length, 10);
    assert.deepEqual(Object.keys(withIg[0].instagram_business_account), ['id', 'username']);
    assert.match(withIg[0].instagram_business_account.id, /^17841\d+$/);
    const without = res.body.data.find((p: Record<string, unknown>) => !('instagram_business_account' in p));
    assert.deepEqual(Object.keys(without), ['id', 'name', 'access_token', 'tasks']);
    assert.deepEqual(without.tasks, [
      'ANALYZE',
      'ADVERTISE',
      'MESSAGING',
      'MODERATE',
      'CREATE_CONTENT',
      'MANAGE',
    ]);
    const plainIg = await t.graph.get('me/accounts', tara, {
      fields: 'instagram_business_account',
      limit: '1',
    });
    assert.deepEqual(Object.keys(plainIg.body.data[0].instagram_business_account), ['id']);
    assert.equal(plainIg.body.data[0].id, withIg[0].id, 'id is always included');
  });

  it('answers the default fields when none are asked for; the Page token works as that Page', async () => {
    const one = await userToken(t, 'one');
    const res = await t.graph.get('me/accounts', one);
    assert.deepEqual(Object.keys(res.body.data[0]), [
      'access_token',
      'category',
      'category_list',
      'name',
      'id',
      'tasks',
    ]);
    assert.equal(res.body.paging.next, undefined);
    const me = await t.graph.get('me', res.body.data[0].access_token);
    assert.equal(me.body.id, res.body.data[0].id);
  });

  it('unknown field → (#100) nonexisting field on node type (Page); bad syntax → 2500', async () => {
    const res = await t.graph.get('me/accounts', tara, { fields: 'id,bogus' });
    assert.equal(res.status, 400);
    assert.equal(
      res.body.error.message,
      '(#100) Tried accessing nonexisting field (bogus) on node type (Page)',
    );
    const syntax = await t.graph.get('me/accounts', tara, { fields: 'id,name}' });
    assert.equal(syntax.body.error.code, 2500);
    const none = await userToken(t, 'none');
    const emptyButChecked = await t.graph.get('me/accounts', none, { fields: 'bogus' });
    assert.equal(emptyButChecked.status, 400);
  });

  it('a persona without Pages gets {"data": []}', async () => {
    const res = await t.graph.get('me/accounts', await userToken(t, 'none'));
    assert.deepEqual(res.body, { data: [] });
  });

  it('a Business-portfolio Page is listed only with business_management', async () => {
    const withBm = await t.graph.get('me/accounts', await userToken(t, 'business'), { fields: 'id,name' });
    assert.deepEqual(
      withBm.body.data.map((p: { name: string }) => p.name),
      ['Bruno Holdings'],
    );
    const scope = APP_SCOPES.filter((s) => s !== 'business_management');
    const withoutBm = await t.graph.get('me/accounts', await userToken(t, 'business', { scope }));
    assert.deepEqual(withoutBm.body, { data: [] });
  });

  it('without pages_show_list the list is empty', async () => {
    const scope = APP_SCOPES.filter((s) => s !== 'pages_show_list');
    const res = await t.graph.get('me/accounts', await userToken(t, 'three', { scope }));
    assert.deepEqual(res.body, { data: [] });
  });

  it('a Page token or an app token cannot list accounts', async () => {
    const one = await userToken(t, 'one');
    const pageTok = (await t.graph.get('me/accounts', one)).body.data[0].access_token;
    const res = await t.graph.get('me/accounts', pageTok);
    assert.equal(
      res.body.error.message,
      '(#100) Tried accessing nonexisting field (accounts) on node type (Page)',
    );
    const app = await t.graph.get('me/accounts', t.appToken);
    assert.equal(app.body.error.code, 2500);
  });

  it('a control-made persona with 500 Pages, half on Instagram, pages at 100', async () => {
    const persona = await t.client.createPersona({ key: 'big', pages: 500, ig_ratio: 0.5 });
    assert.equal(persona.pages.length, 500);
    assert.equal(persona.pages.filter((p) => p.instagram).length, 250);
    const token = await userToken(t, 'big');
    let res = await t.graph.get('me/accounts', token, {
      fields: 'id,instagram_business_account',
      limit: '100',
    });
    let total = 0;
    let ig = 0;
    let rounds = 0;
    for (;;) {
      rounds++;
      total += res.body.data.length;
      ig += res.body.data.filter((p: Record<string, unknown>) => p.instagram_business_account).length;
      if (!res.body.paging.next) break;
      res = await t.graph.fetchUrl(res.body.paging.next);
    }
    assert.deepEqual([total, ig, rounds], [500, 250, 5]);
  });
});

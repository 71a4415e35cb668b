// The login dialog: Meta's refusals (error page, never a redirect), the consent page, and the
// redirects for Continue and Cancel.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialogUrl, REDIRECT_URI, startTestEmulator, type TestEmulator, userToken } from './harness.ts';

describe('login dialog', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator();
  });
  after(() => t.emu.close());

  const refused = async (url: string, heading: string) => {
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('location'), null, 'never redirects');
    const html = await res.text();
    assert.match(html, new RegExp(`<h1>${heading}</h1>`));
    assert.ok(!html.includes('<form'), 'no consent form');
  };

  it('refuses an unknown client_id with "Invalid App ID"', () =>
    refused(dialogUrl(t, { clientId: '999' }), 'Invalid App ID'));

  it('refuses a redirect_uri that is not byte-identical to a registered one', async () => {
    await refused(dialogUrl(t, { redirectUri: 'https://evil.example/cb' }), 'URL blocked');
    await refused(dialogUrl(t, { redirectUri: `${REDIRECT_URI}/` }), 'URL blocked');
    await refused(dialogUrl(t, { redirectUri: REDIRECT_URI.toUpperCase() }), 'URL blocked');
  });

  it('refuses unknown permissions', () =>
    refused(dialogUrl(t, { scope: ['pages_messagin'] }), 'Invalid Scopes'));

  it('shows an accessible consent page: labelled personas, pre-ticked Pages, Continue and Cancel', async () => {
    const res = await fetch(dialogUrl(t));
    const html = await res.text();
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    for (const key of ['none', 'one', 'three', 'thirty', 'business']) {
      assert.match(html, new RegExp(`<input type="radio" id="persona-${key}" name="persona" value="${key}"`));
      assert.match(html, new RegExp(`<label for="persona-${key}">`));
    }
    assert.equal((html.match(/name="page_ids"[^>]*data-persona="thirty" checked/g) ?? []).length, 30);
    assert.match(html, /<button type="submit" name="action" value="continue"/);
    assert.match(html, /<button type="submit" name="action" value="cancel"/);
    assert.match(html, /lang="en"/);
    assert.ok(!/src="http|href="http/.test(html), 'no external assets');
  });

  it('Continue redirects with code, state and #_=_', async () => {
    const location = await t.client.login(dialogUrl(t, { state: 'a b&c' }), 'one');
    const url = new URL(location);
    assert.equal(`${url.origin}${url.pathname}`, REDIRECT_URI);
    assert.match(url.searchParams.get('code') ?? '', /^AQ[\w-]{100,}$/);
    assert.equal(url.searchParams.get('state'), 'a b&c');
    assert.equal(url.hash, '#_=_');
  });

  it('Cancel redirects with Meta’s access_denied parameters', async () => {
    const location = await t.client.login(dialogUrl(t, { state: 'st' }), 'one', { cancel: true });
    assert.equal(
      location,
      `${REDIRECT_URI}?error=access_denied&error_code=200&error_description=Permissions+error&error_reason=user_denied&state=st#_=_`,
    );
  });

  it('grants only the ticked Pages and the permissions left ticked', async () => {
    const state = await t.client.state();
    const three = state.personas.find((p) => p.key === 'three')!;
    const token = await userToken(t, 'three', { pageIds: [three.pages[1]!.id] });
    const debug = await t.graph.get('debug_token', t.appToken, { input_token: token });
    const granular = debug.body.data.granular_scopes.find(
      (g: { scope: string }) => g.scope === 'pages_show_list',
    );
    assert.deepEqual(granular.target_ids, [three.pages[1]!.id]);

    const location = await t.client.login(dialogUrl(t), 'one', { declineScopes: ['pages_manage_metadata'] });
    const exchanged = await t.graph.get('oauth/access_token', null, {
      client_id: t.emu.appId,
      client_secret: t.emu.appSecret,
      redirect_uri: REDIRECT_URI,
      code: new URL(location).searchParams.get('code')!,
    });
    const scopes = (
      await t.graph.get('debug_token', t.appToken, { input_token: exchanged.body.access_token })
    ).body.data.scopes;
    assert.ok(!scopes.includes('pages_manage_metadata'));
    assert.ok(scopes.includes('pages_messaging') && scopes.includes('public_profile'));
  });

  it('config_id (Login for Business) grants the full permission list', async () => {
    const location = await t.client.login(dialogUrl(t, { configId: '555' }), 'one', {
      declineScopes: ['pages_messaging'],
    });
    const code = new URL(location).searchParams.get('code')!;
    const exchanged = await t.graph.get('oauth/access_token', null, {
      client_id: t.emu.appId,
      client_secret: t.emu.appSecret,
      redirect_uri: REDIRECT_URI,
      code,
    });
    const scopes = (
      await t.graph.get('debug_token', t.appToken, { input_token: exchanged.body.access_token })
    ).body.data.scopes;
    for (const s of [
      'pages_show_list',
      'pages_messaging',
      'pages_manage_metadata',
      'instagram_basic',
      'instagram_manage_messages',
      'business_management',
    ]) {
      assert.ok(scopes.includes(s), s);
    }
  });

  it('the client refuses an unknown persona and surfaces Meta’s error page', async () => {
    await assert.rejects(t.client.login(dialogUrl(t), 'nobody'), /no persona "nobody"/);
    await assert.rejects(t.client.login(dialogUrl(t, { clientId: '1' }), 'one'), /Invalid App ID/);
  });

  it('works unversioned too', async () => {
    const res = await fetch(dialogUrl(t).replace('/v27.0/', '/'));
    assert.match(await res.text(), /name="persona"/);
  });
});

// Page-level subscribed_apps and app-level subscriptions, including Meta's verification GET against a
// real local receiver.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  APP_SCOPES,
  firstPageOf,
  pageToken,
  startTestEmulator,
  type TestEmulator,
  userToken,
} from './harness.ts';
import { type Receiver, startReceiver } from './receiver.ts';

describe('subscriptions', () => {
  let t: TestEmulator;
  let receiver: Receiver;
  before(async () => {
    t = await startTestEmulator();
    receiver = await startReceiver(t.emu.verifyToken);
  });
  beforeEach(async () => {
    await t.client.reset();
    receiver.verifyMode = 'echo';
    receiver.verifications.length = 0;
  });
  after(async () => {
    await receiver.close();
    await t.emu.close();
  });

  describe('/{page}/subscribed_apps', () => {
    it('POST (comma list or JSON array), GET, DELETE with the Page token', async () => {
      const page = await firstPageOf(t, 'one');
      const token = await pageToken(t, await userToken(t, 'one'), page.id);
      assert.deepEqual((await t.graph.get(`${page.id}/subscribed_apps`, token)).body, { data: [] });

      const posted = await t.graph.post(`${page.id}/subscribed_apps`, token, {
        subscribed_fields: 'messages,message_reads',
      });
      assert.equal(posted.status, 200, posted.text);
      assert.deepEqual(posted.body, { success: true });
      const listed = await t.graph.get(`${page.id}/subscribed_apps`, token);
      assert.equal(listed.body.data.length, 1);
      assert.equal(listed.body.data[0].id, t.emu.appId);
      assert.deepEqual(listed.body.data[0].subscribed_fields, ['messages', 'message_reads']);

      const json = await t.graph.post(
        `${page.id}/subscribed_apps`,
        token,
        { subscribed_fields: ['messages', 'message_echoes'] },
        { as: 'json' },
      );
      assert.equal(json.status, 200, json.text);
      const replaced = await t.graph.get(`${page.id}/subscribed_apps`, token);
      assert.deepEqual(
        replaced.body.data[0].subscribed_fields,
        ['messages', 'message_echoes'],
        'POST replaces the list',
      );

      assert.deepEqual((await t.graph.delete(`${page.id}/subscribed_apps`, token)).body, { success: true });
      assert.deepEqual((await t.graph.get(`${page.id}/subscribed_apps`, token)).body, { data: [] });
      const state = await t.client.state();
      assert.equal(state.personas.find((p) => p.key === 'one')!.pages[0]!.subscribed_fields, null);
    });

    it('needs a Page token (210) of that Page (100/33)', async () => {
      const page = await firstPageOf(t, 'one');
      const user = await userToken(t, 'one');
      const res = await t.graph.post(`${page.id}/subscribed_apps`, user, { subscribed_fields: 'messages' });
      assert.deepEqual([res.status, res.body.error.code], [400, 210]);
      const theo = await userToken(t, 'three');
      const otherPage = await firstPageOf(t, 'three');
      const otherToken = await pageToken(t, theo, otherPage.id);
      const wrong = await t.graph.post(`${page.id}/subscribed_apps`, otherToken, {
        subscribed_fields: 'messages',
      });
      assert.equal(wrong.body.error.error_subcode, 33);
    });

    it('needs pages_manage_metadata (200), pages_messaging for messaging fields, and known field names', async () => {
      const page = await firstPageOf(t, 'one');
      const noMeta = await pageToken(
        t,
        await userToken(t, 'one', { scope: APP_SCOPES.filter((s) => s !== 'pages_manage_metadata') }),
        page.id,
      );
      const res = await t.graph.post(`${page.id}/subscribed_apps`, noMeta, { subscribed_fields: 'messages' });
      assert.equal(res.body.error.code, 200);
      assert.match(res.body.error.message, /pages_manage_metadata/);

      const noMessaging = await pageToken(
        t,
        await userToken(t, 'one', { scope: APP_SCOPES.filter((s) => s !== 'pages_messaging') }),
        page.id,
      );
      const msg = await t.graph.post(`${page.id}/subscribed_apps`, noMessaging, {
        subscribed_fields: 'messages',
      });
      assert.equal(
        msg.body.error.message,
        '(#200) To subscribe to the messages field, one of these permissions is needed: pages_messaging',
      );

      const ok = await pageToken(t, await userToken(t, 'one'), page.id);
      const typo = await t.graph.post(`${page.id}/subscribed_apps`, ok, {
        subscribed_fields: 'messages,mesage_reads',
      });
      assert.equal(typo.body.error.code, 100);
      assert.match(typo.body.error.message, /subscribed_fields\[1\] must be one of .* got "mesage_reads"/);
      const missing = await t.graph.post(`${page.id}/subscribed_apps`, ok, {});
      assert.equal(missing.body.error.message, '(#100) The parameter subscribed_fields is required');
    });
  });

  describe('/{app}/subscriptions', () => {
    const subscribe = (extra: Record<string, string> = {}) =>
      t.graph.post(`${t.emu.appId}/subscriptions`, t.appToken, {
        object: 'page',
        callback_url: receiver.webhookUrl,
        fields: 'messages,message_echoes',
        verify_token: t.emu.verifyToken,
        ...extra,
      });

    it('verifies the callback URL with hub.mode, a numeric hub.challenge and the verify token, then stores it', async () => {
      const res = await subscribe();
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { success: true });
      assert.equal(receiver.verifications.length, 1);
      const v = receiver.verifications[0]!;
      assert.equal(v['hub.mode'], 'subscribe');
      assert.match(v['hub.challenge'] ?? '', /^\d{6,}$/);
      assert.equal(v['hub.verify_token'], t.emu.verifyToken);

      const listed = await t.graph.get(`${t.emu.appId}/subscriptions`, t.appToken);
      assert.deepEqual(listed.body, {
        data: [
          {
            object: 'page',
            callback_url: receiver.webhookUrl,
            active: true,
            fields: [
              { name: 'messages', version: 'v27.0' },
              { name: 'message_echoes', version: 'v27.0' },
            ],
          },
        ],
      });
      assert.ok(listed.text.includes('http:\\/\\/127.0.0.1'), 'slashes escaped as Meta does');
    });

    it('refuses with 2200 when the echo is wrong, the token is refused, or the URL is unreachable', async () => {
      receiver.verifyMode = 'wrong';
      const wrong = await subscribe();
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.code, 2200);
      assert.match(
        wrong.body.error.message,
        /^\(#2200\) Callback verification failed with the following errors: /,
      );

      receiver.verifyMode = 'echo';
      const badToken = await subscribe({ verify_token: 'not-the-token' });
      assert.match(badToken.body.error.message, /HTTP Status Code = 403/);

      const unreachable = await subscribe({ callback_url: 'http://127.0.0.1:9/webhook' });
      assert.equal(unreachable.body.error.code, 2200);
      assert.deepEqual(
        (await t.graph.get(`${t.emu.appId}/subscriptions`, t.appToken)).body,
        { data: [] },
        'nothing stored',
      );
    });

    it('fields add up across POSTs; DELETE removes fields, an object, or all', async () => {
      await subscribe();
      await subscribe({ fields: 'message_reads' });
      await subscribe({ object: 'instagram', fields: 'messages,messaging_seen' });
      let listed = await t.graph.get(`${t.emu.appId}/subscriptions`, t.appToken);
      assert.deepEqual(
        listed.body.data[0].fields.map((f: { name: string }) => f.name),
        ['messages', 'message_echoes', 'message_reads'],
      );
      await t.graph.delete(`${t.emu.appId}/subscriptions`, t.appToken, {
        object: 'page',
        fields: 'message_echoes',
      });
      listed = await t.graph.get(`${t.emu.appId}/subscriptions`, t.appToken);
      assert.deepEqual(
        listed.body.data[0].fields.map((f: { name: string }) => f.name),
        ['messages', 'message_reads'],
      );
      await t.graph.delete(`${t.emu.appId}/subscriptions`, t.appToken, { object: 'instagram' });
      listed = await t.graph.get(`${t.emu.appId}/subscriptions`, t.appToken);
      assert.deepEqual(
        listed.body.data.map((s: { object: string }) => s.object),
        ['page'],
      );
      await t.graph.delete(`${t.emu.appId}/subscriptions`, t.appToken);
      assert.deepEqual((await t.graph.get(`${t.emu.appId}/subscriptions`, t.appToken)).body, { data: [] });
    });

    it('needs the app token (15), valid objects and field names', async () => {
      const user = await userToken(t, 'one');
      const res = await t.graph.get(`${t.emu.appId}/subscriptions`, user);
      assert.deepEqual(
        [res.body.error.code, res.body.error.message],
        [15, '(#15) This method must be called with an app access_token.'],
      );
      const badObject = await subscribe({ object: 'pages' });
      assert.equal(badObject.body.error.code, 100);
      const badField = await subscribe({ object: 'instagram', fields: 'message_reads' });
      assert.match(badField.body.error.message, /message_reads/);
      const otherApp = await t.graph.get('999/subscriptions', t.appToken);
      assert.equal(otherApp.body.error.error_subcode, 33);
      assert.equal(receiver.verifications.length, 0, 'no verification for refused requests');
    });
  });
});

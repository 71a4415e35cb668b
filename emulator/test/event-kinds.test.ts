// Issue 13 in the emulator: each kind of customer event in Meta's shape (attachments of every type,
// quick replies, reply_to and story replies, referrals, is_unsupported, standby; reactions, edits,
// unsend, postbacks), the CDN (files, a forgotten file, a flaky one), the Send API fetching an
// attachment URL, and the Conversations API over seeded history.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  APP_SCOPES,
  connectForMessaging,
  pageToken,
  startTestEmulator,
  type TestEmulator,
  userToken,
} from './harness.ts';
import { type Receiver, startReceiver } from './receiver.ts';

describe('every event kind, the CDN, and the Conversations API', () => {
  let t: TestEmulator;
  let receiver: Receiver;
  let pageId: string;
  let igId: string;
  let token: string;
  before(async () => {
    t = await startTestEmulator({ autoDeliveryMs: null, autoReadMs: null });
    receiver = await startReceiver(t.emu.verifyToken);
  });
  beforeEach(async () => {
    await t.client.reset();
    receiver.webhooks.length = 0;
    const setup = await connectForMessaging(t, receiver.webhookUrl, {
      pageFields: [
        'messages',
        'message_echoes',
        'messaging_postbacks',
        'message_reactions',
        'message_edits',
        'messaging_referrals',
        'standby',
      ],
      igFields: ['messages', 'messaging_seen', 'message_reactions', 'standby'],
    });
    pageId = setup.page.id;
    igId = setup.page.instagram!.id;
    token = setup.token;
  });
  after(async () => {
    await receiver.close();
    await t.emu.close();
  });

  const lastItem = () => {
    const entry = receiver.webhooks.at(-1)!.json.entry[0] as unknown as Record<
      string,
      Array<Record<string, unknown>>
    >;
    return entry;
  };

  it('attachments in Meta shapes: sticker id on the message, location coordinates, fallback title/url, template elements, reels', async () => {
    const cdn = `${t.emu.url}/_emulator/cdn`;
    const res = await t.client.inbound({
      page_id: pageId,
      attachments: [
        { type: 'image', url: `${cdn}/like.png`, sticker_id: 369239263222822 },
        { type: 'location', title: 'Shop', coordinates: { lat: 1.5, long: 2.5 } },
        { type: 'fallback', url: 'https://example.com', title: 'Example' },
        { type: 'template', elements: [{ title: 'Box' }] },
        { type: 'ig_reel', url: `${cdn}/r.mp4`, title: 'Reel', reel_video_id: '42' },
      ],
      quick_reply_payload: 'P',
      reply_to_mid: 'm_earlier',
      referral: { ref: 'r', source: 'ADS', type: 'OPEN_THREAD', ad_id: '9' },
    });
    assert.equal(res.delivery.state, 'delivered');
    const message = lastItem().messaging![0]!.message as Record<string, unknown>;
    assert.equal(message.sticker_id, 369239263222822);
    const atts = message.attachments as Array<Record<string, unknown>>;
    assert.deepEqual(atts[0], {
      type: 'image',
      payload: { url: `${cdn}/like.png`, sticker_id: 369239263222822 },
    });
    assert.deepEqual((atts[1]!.payload as Record<string, unknown>).coordinates, { lat: 1.5, long: 2.5 });
    assert.equal(atts[1]!.title, 'Shop');
    assert.deepEqual([atts[2]!.title, atts[2]!.url], ['Example', 'https://example.com']);
    assert.deepEqual(atts[3]!.payload, { template_type: 'generic', elements: [{ title: 'Box' }] });
    assert.deepEqual(atts[4]!.payload, { url: `${cdn}/r.mp4`, title: 'Reel', reel_video_id: '42' });
    assert.deepEqual(message.quick_reply, { payload: 'P' });
    assert.deepEqual(message.reply_to, { mid: 'm_earlier' });
    assert.equal((message.referral as Record<string, unknown>).ad_id, '9');
  });

  it('Instagram: story reply, is_unsupported; standby goes under entry.standby with field standby', async () => {
    await t.client.inbound({
      ig_id: igId,
      text: 'wow',
      reply_to_story: { url: 'https://cdn.example/s.jpg', id: '1789' },
    });
    assert.deepEqual((lastItem().messaging![0]!.message as Record<string, unknown>).reply_to, {
      story: { url: 'https://cdn.example/s.jpg', id: '1789' },
    });
    const first = await t.client.inbound({ ig_id: igId, is_unsupported: true });
    assert.equal((lastItem().messaging![0]!.message as Record<string, unknown>).is_unsupported, true);
    await t.client.inbound({ ig_id: igId, customer_id: first.customer.id, text: 'other app', standby: true });
    const entry = lastItem();
    assert.equal(entry.messaging, undefined);
    assert.equal((entry.standby![0]!.message as Record<string, unknown>).text, 'other app');
  });

  it('customer events: react / unreact, edit (num_edit counts), unsend, postback with a new mid, referral', async () => {
    const sent = await t.client.inbound({ page_id: pageId, text: 'hello' });
    const base = { page_id: pageId, customer_id: sent.customer.id };
    await t.client.customerEvent({ ...base, kind: 'react', mid: sent.mids[0]!, emoji: '❤️' });
    assert.deepEqual(lastItem().messaging![0]!.reaction, {
      mid: sent.mids[0],
      action: 'react',
      reaction: 'love',
      emoji: '❤️',
    });
    await t.client.customerEvent({ ...base, kind: 'unreact', mid: sent.mids[0]! });
    assert.deepEqual(lastItem().messaging![0]!.reaction, { mid: sent.mids[0], action: 'unreact' });
    await t.client.customerEvent({ ...base, kind: 'edit', mid: sent.mids[0]!, text: 'hello!' });
    await t.client.customerEvent({ ...base, kind: 'edit', mid: sent.mids[0]!, text: 'hello!!' });
    assert.deepEqual(lastItem().messaging![0]!.message_edit, {
      mid: sent.mids[0],
      text: 'hello!!',
      num_edit: 2,
    });
    const pb = await t.client.customerEvent({ ...base, kind: 'postback', title: 'Menu', payload: 'MENU' });
    assert.deepEqual(lastItem().messaging![0]!.postback, { mid: pb.mid, title: 'Menu', payload: 'MENU' });
    await t.client.customerEvent({
      ...base,
      kind: 'referral',
      referral: { ref: 'qr', source: 'SHORTLINK', type: 'OPEN_THREAD' },
    });
    assert.deepEqual(lastItem().messaging![0]!.referral, {
      ref: 'qr',
      source: 'SHORTLINK',
      type: 'OPEN_THREAD',
    });
    await t.client.customerEvent({ ...base, kind: 'unsend', mid: sent.mids[0]! });
    assert.deepEqual(lastItem().messaging![0]!.message, { mid: sent.mids[0], is_deleted: true });
  });

  it('the CDN serves files by extension, forgets them on request, and a flaky- file fails once with 503', async () => {
    const png = await fetch(`${t.emu.url}/_emulator/cdn/a.png`);
    assert.equal(png.headers.get('content-type'), 'image/png');
    assert.deepEqual([...new Uint8Array(await png.arrayBuffer()).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    await t.client.forgetCdn('a.png');
    assert.equal((await fetch(`${t.emu.url}/_emulator/cdn/a.png`)).status, 404);
    assert.equal((await fetch(`${t.emu.url}/_emulator/cdn/flaky-x.pdf`)).status, 503);
    assert.equal((await fetch(`${t.emu.url}/_emulator/cdn/flaky-x.pdf`)).status, 200);
  });

  it('Send API with an attachment URL: Meta fetches it first; an unreachable URL is refused with 100/2018008', async () => {
    const sent = await t.client.inbound({ page_id: pageId, text: 'send me the menu' });
    const ok = await t.graph.post(`${pageId}/messages`, token, {
      recipient: { id: sent.customer.id },
      messaging_type: 'RESPONSE',
      message: {
        attachment: {
          type: 'file',
          payload: { url: `${t.emu.url}/_emulator/cdn/menu.pdf`, is_reusable: false },
        },
      },
    });
    assert.equal(ok.status, 200, ok.text);
    const [out] = await t.client.sent({ recipient_id: sent.customer.id });
    assert.deepEqual(out!.file, {
      content_type: 'application/pdf',
      size: (await (await fetch(`${t.emu.url}/_emulator/cdn/menu.pdf`)).arrayBuffer()).byteLength,
    });
    const bad = await t.graph.post(`${pageId}/messages`, token, {
      recipient: { id: sent.customer.id },
      message: { attachment: { type: 'image', payload: { url: 'http://127.0.0.1:9/nothing.png' } } },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual([bad.body.error.code, bad.body.error.error_subcode], [100, 2018008]);
  });

  it('Conversations API: 120 seeded conversations, newest first, 25 a page, 20 messages each at most; Messenger needs pages_read_engagement', async () => {
    await t.client.seedHistory({ page_id: pageId, conversations: 120, messages: 24, days: 20 });
    const denied = await t.graph.get(`${pageId}/conversations`, token, { platform: 'messenger' });
    assert.equal(denied.status, 400);
    assert.equal(denied.body.error.code, 200);
    const user = await userToken(t, 'one', { scope: [...APP_SCOPES, 'pages_read_engagement'] });
    const pt = await pageToken(t, user, pageId);
    const seen: string[] = [];
    let after: string | undefined;
    let previous = Number.POSITIVE_INFINITY;
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const res = await t.graph.get(`${pageId}/conversations`, pt, {
        platform: 'messenger',
        ...(after ? { after } : {}),
      });
      assert.equal(res.status, 200, res.text);
      for (const c of res.body.data as Array<{
        id: string;
        updated_time: string;
        messages: { data: unknown[] };
        participants: { data: Array<{ id: string }> };
      }>) {
        seen.push(c.id);
        assert.ok(Date.parse(c.updated_time) <= previous, 'newest first');
        previous = Date.parse(c.updated_time);
        assert.equal(c.messages.data.length, 20);
        assert.equal(c.participants.data[1]!.id, pageId);
      }
      if (!res.body.paging?.next) break;
      assert.match(res.body.paging.next, /platform=messenger/);
      after = res.body.paging.cursors.after;
    }
    assert.equal(seen.length, 120);
    assert.equal(new Set(seen).size, 120);
    const ig = await t.graph.get(`${pageId}/conversations`, pt, { platform: 'instagram' });
    assert.deepEqual(ig.body.data, []);
  });
});

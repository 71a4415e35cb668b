// Webhook delivery over real HTTP: Meta's escaped bytes and their signature (non-ASCII test vectors),
// batching several events into one POST, retries with backoff, and the delivery log.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DeliveryRecord } from '../client.ts';
import { connectForMessaging, startTestEmulator, type TestEmulator } from './harness.ts';
import { type Receiver, startReceiver } from './receiver.ts';

describe('webhook delivery', () => {
  let t: TestEmulator;
  let receiver: Receiver;
  let pageId: string;
  let igId: string;
  before(async () => {
    t = await startTestEmulator({ webhookRetryDelaysMs: [30, 60], autoDeliveryMs: null, autoReadMs: null });
    receiver = await startReceiver(t.emu.verifyToken);
  });
  beforeEach(async () => {
    await t.client.reset();
    receiver.webhooks.length = 0;
    receiver.statuses = [];
    const setup = await connectForMessaging(t, receiver.webhookUrl);
    pageId = setup.page.id;
    igId = setup.page.instagram!.id;
  });
  after(async () => {
    await receiver.close();
    await t.emu.close();
  });

  /** The first delivery once it stopped changing state (the receiver sees a POST before the emulator logs its answer). */
  const settled = async (): Promise<DeliveryRecord> => {
    for (let i = 0; i < 300; i++) {
      const [first] = await t.client.deliveries();
      if (first && (first.state === 'delivered' || first.state === 'failed')) return first;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.fail('the delivery never settled');
  };
  const hmac = (bytes: Buffer | string) =>
    `sha256=${createHmac('sha256', t.emu.appSecret).update(bytes).digest('hex')}`;

  it('non-ASCII text travels as lowercase \\uXXXX escapes, signed over exactly those bytes', async () => {
    const text = 'héllo 👋 äöå / ok';
    const res = await t.client.inbound({ page_id: pageId, customer_name: 'Jürgen Weiß', text });
    assert.equal(res.delivery.state, 'delivered');
    const [hook] = receiver.webhooks;
    assert.ok(hook);
    const raw = hook.raw.toString('latin1');
    assert.ok(raw.includes('"text":"h\\u00e9llo \\ud83d\\udc4b \\u00e4\\u00f6\\u00e5 \\/ ok"'), raw);
    assert.ok(/^[\x20-\x7e]+$/.test(raw), 'pure ASCII on the wire');
    assert.equal(hook.headers['content-type'], 'application/json');
    assert.equal(hook.headers['x-hub-signature-256'], hmac(hook.raw));
    assert.match(String(hook.headers['x-hub-signature-256']), /^sha256=[0-9a-f]{64}$/);
    assert.equal(
      hook.json.entry[0]!.messaging[0]!.message &&
        (hook.json.entry[0]!.messaging[0]!.message as { text: string }).text,
      text,
    );
    // The receiver bug Meta warns about: signing the decoded, re-serialised body does not match.
    assert.notEqual(hmac(JSON.stringify(hook.json)), hook.headers['x-hub-signature-256']);
    assert.equal(res.delivery.state === 'delivered' && res.delivery.body, hook.raw.toString('utf8'));
  });

  it('the Messenger envelope: object page, entry id/time, sender PSID → recipient Page, mid and attachments', async () => {
    const res = await t.client.inbound({
      page_id: pageId,
      attachments: [{ type: 'image', url: 'https://cdn.example/p.jpg' }],
    });
    const body = receiver.webhooks[0]!.json;
    assert.equal(body.object, 'page');
    const entry = body.entry[0]!;
    assert.equal(entry.id, pageId);
    assert.equal(typeof entry.time, 'number');
    assert.deepEqual(entry.messaging[0], {
      sender: { id: res.customer.id },
      recipient: { id: pageId },
      timestamp: res.timestamp,
      message: {
        mid: res.mids[0],
        attachments: [{ type: 'image', payload: { url: 'https://cdn.example/p.jpg' } }],
      },
    });
  });

  it('a batch of N inbound messages shares one POST: N entries, or one entry with N messaging items', async () => {
    const batch = await t.client.inbound({ page_id: pageId, text: 'burst', count: 5 });
    assert.equal(receiver.webhooks.length, 1);
    const entries = receiver.webhooks[0]!.json.entry;
    assert.equal(entries.length, 5);
    assert.deepEqual(
      entries.map((e) => (e.messaging[0]!.message as { mid: string }).mid),
      batch.mids,
    );
    assert.equal((entries[4]!.messaging[0]!.message as { text: string }).text, 'burst #5');

    await t.client.inbound({ ig_id: igId, text: 'ig burst', count: 3, layout: 'messaging' });
    const ig = receiver.webhooks[1]!.json;
    assert.equal(ig.object, 'instagram');
    assert.equal(ig.entry.length, 1);
    assert.equal(ig.entry[0]!.messaging.length, 3);
    assert.equal(receiver.webhooks[1]!.headers['x-hub-signature-256'], hmac(receiver.webhooks[1]!.raw));
  });

  it('retries a 500 with backoff and records every attempt', async () => {
    receiver.statuses = [500, 503];
    const res = await t.client.inbound({ page_id: pageId, text: 'retry me' });
    assert.equal(res.delivery.state, 'retrying');
    await receiver.waitFor((r) => r.webhooks.length === 3);
    const bodies = new Set(receiver.webhooks.map((w) => w.raw.toString()));
    assert.equal(bodies.size, 1, 'each retry carries the identical signed body');
    const delivery = await settled();
    assert.equal(delivery.state, 'delivered');
    assert.deepEqual(
      delivery!.attempts.map((a) => a.status),
      [500, 503, 200],
    );
    assert.deepEqual(delivery!.fields, ['messages']);
  });

  it('gives up after the schedule, and logs network errors', async () => {
    receiver.statuses = [500, 500, 500];
    await t.client.inbound({ page_id: pageId, text: 'doomed' });
    await receiver.waitFor((r) => r.webhooks.length === 3);
    const failed = await settled();
    assert.equal(failed.state, 'failed');
    assert.equal(failed.attempts.length, 3);

    const dead = await startReceiver(t.emu.verifyToken);
    await t.graph.post(`${t.emu.appId}/subscriptions`, t.appToken, {
      object: 'page',
      callback_url: dead.webhookUrl,
      fields: 'messages',
      verify_token: t.emu.verifyToken,
    });
    await dead.close();
    const { delivery } = await t.client.inbound({ page_id: pageId, text: 'into the void' });
    assert.ok(delivery.state !== 'skipped');
    assert.equal(delivery.attempts[0]!.status, null);
    assert.match(delivery.attempts[0]!.error ?? '', /fetch failed/);
    assert.equal(delivery.state, 'retrying');
  });

  it('skips, and says why, when nothing subscribed the event', async () => {
    await t.graph.delete(`${t.emu.appId}/subscriptions`, t.appToken, { object: 'instagram' });
    const res = await t.client.inbound({ ig_id: igId, text: 'anyone?' });
    assert.deepEqual(res.delivery, {
      state: 'skipped',
      reason: 'no app subscription for object "instagram"',
    });
    assert.equal(receiver.webhooks.length, 0);
    assert.equal((await t.client.inboundLog({ customer_id: res.customer.id })).length, 1, 'still logged');
  });

  it('reset cancels pending retries', async () => {
    await t.client.reset({ webhook_retry_delays_ms: [400] });
    await connectForMessaging(t, receiver.webhookUrl);
    receiver.statuses = [500];
    const { delivery } = await t.client.inbound({ page_id: pageId, text: 'once' });
    assert.equal(delivery.state, 'retrying');
    await t.client.reset();
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(receiver.webhooks.length, 1);
    assert.deepEqual(await t.client.deliveries(), []);
  });
});

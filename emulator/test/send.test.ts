// The Send API end to end: recipients, the 24-hour window on the emulator clock, and the echo,
// delivery and read webhooks a real local receiver gets, signed.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  APP_SCOPES,
  connectForMessaging,
  pageToken,
  startTestEmulator,
  type TestEmulator,
  userToken,
} from './harness.ts';
import { type ReceivedWebhook, type Receiver, startReceiver } from './receiver.ts';

const DAY = 24 * 3600_000;

describe('Send API', () => {
  let t: TestEmulator;
  let receiver: Receiver;
  let setup: Awaited<ReturnType<typeof connectForMessaging>>;
  before(async () => {
    t = await startTestEmulator({ autoDeliveryMs: 30, autoReadMs: 80, webhookRetryDelaysMs: [] });
    receiver = await startReceiver(t.emu.verifyToken);
  });
  /** A receipt whose POST left before a reset can still arrive after it: wait until none comes for 100 ms. */
  const settleReceiver = async () => {
    for (let seen = -1; seen !== receiver.webhooks.length; ) {
      seen = receiver.webhooks.length;
      await new Promise((r) => setTimeout(r, 100));
    }
    receiver.webhooks.length = 0;
  };
  beforeEach(async () => {
    await t.client.reset();
    await settleReceiver();
    setup = await connectForMessaging(t, receiver.webhookUrl);
  });
  after(async () => {
    await receiver.close();
    await t.emu.close();
  });

  const send = (recipient: string, message: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    t.graph.post(
      `${setup.page.id}/messages`,
      setup.token,
      { recipient: { id: recipient }, messaging_type: 'RESPONSE', message, ...extra },
      { as: 'json' },
    );
  const fieldOf = (w: ReceivedWebhook) => {
    const item = w.json.entry[0]!.messaging[0]!;
    if ('delivery' in item) return 'delivery';
    if ('read' in item) return 'read';
    return (item.message as { is_echo?: boolean }).is_echo ? 'echo' : 'message';
  };
  const verify = (w: ReceivedWebhook) =>
    assert.equal(
      w.headers['x-hub-signature-256'],
      `sha256=${createHmac('sha256', t.emu.appSecret).update(w.raw).digest('hex')}`,
    );

  it('Messenger: answers {recipient_id, message_id}, then echo, delivery and read arrive signed, in order', async () => {
    const inbound = await t.client.inbound({ page_id: setup.page.id, text: 'Do you have croissants?' });
    assert.equal(inbound.delivery.state, 'delivered');
    const psid = inbound.customer.id;
    const res = await send(psid, { text: 'Yes — fresh ones!', metadata: 'parley:42' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.recipient_id, psid);
    assert.match(res.body.message_id, /^m_[\w-]{40,}$/);

    await receiver.waitFor((r) => r.webhooks.length >= 4);
    // Meta does not promise an order; the emulator sends echo at once, delivery and read later.
    const byKind = new Map(receiver.webhooks.map((w) => [fieldOf(w), w]));
    assert.deepEqual([...byKind.keys()].sort(), ['delivery', 'echo', 'message', 'read']);
    receiver.webhooks.forEach(verify);

    const echo = byKind.get('echo')!.json;
    assert.equal(echo.object, 'page');
    assert.equal(echo.entry[0]!.id, setup.page.id);
    const echoItem = echo.entry[0]!.messaging[0]!;
    assert.deepEqual(echoItem.sender, { id: setup.page.id });
    assert.deepEqual(echoItem.recipient, { id: psid });
    assert.deepEqual(echoItem.message, {
      mid: res.body.message_id,
      is_echo: true,
      app_id: Number(t.emu.appId),
      metadata: 'parley:42',
      text: 'Yes — fresh ones!',
    });
    const delivery = byKind.get('delivery')!.json.entry[0]!.messaging[0]!;
    assert.deepEqual(delivery.delivery, { mids: [res.body.message_id], watermark: echoItem.timestamp });
    const read = byKind.get('read')!.json.entry[0]!.messaging[0]!;
    assert.deepEqual(read.read, { watermark: echoItem.timestamp });
    assert.deepEqual(read.sender, { id: psid });

    const sent = await t.client.sent({ page_id: setup.page.id });
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.text, 'Yes — fresh ones!');
    assert.ok(sent[0]!.delivered_at && sent[0]!.read_at);
  });

  it('sends nothing for fields the Page did not subscribe to, even if the app did', async () => {
    const page = setup.page;
    await t.graph.post(`${page.id}/subscribed_apps`, setup.token, {
      subscribed_fields: 'messages,message_echoes',
    });
    const { customer } = await t.client.inbound({ page_id: page.id, text: 'hi' });
    await send(customer.id, { text: 'hello' });
    await receiver.waitFor((r) => r.webhooks.length >= 2);
    await new Promise((r) => setTimeout(r, 250));
    assert.deepEqual(receiver.webhooks.map(fieldOf), ['message', 'echo']);
    const sent = await t.client.sent();
    assert.ok(sent[0]!.delivered_at !== null && sent[0]!.read_at !== null, 'the receipts happened, unsent');
  });

  it('accepts the form encoding with JSON-string parameters, and /me/messages', async () => {
    const { customer } = await t.client.inbound({ page_id: setup.page.id, text: 'hi' });
    const res = await t.graph.post('me/messages', setup.token, {
      recipient: JSON.stringify({ id: customer.id }),
      message: JSON.stringify({ text: 'via form' }),
      messaging_type: 'RESPONSE',
    });
    assert.equal(res.status, 200, res.text);
    // Meta fetches an attachment URL before accepting it: the emulator's own CDN answers offline.
    const attachment = await send(customer.id, {
      attachment: { type: 'image', payload: { url: `${t.emu.url}/_emulator/cdn/a.png` } },
    });
    assert.equal(attachment.status, 200, attachment.text);
    assert.deepEqual(
      (await t.client.sent()).map((m) => m.text ?? m.attachment?.type),
      ['via form', 'image'],
    );
  });

  it('an unknown recipient is 100/2018001 "No matching user found"', async () => {
    const res = await send('1234567890123456', { text: 'hello?' });
    assert.equal(res.status, 400);
    assert.deepEqual(
      [res.body.error.code, res.body.error.error_subcode, res.body.error.message],
      [100, 2018001, '(#100) No matching user found'],
    );
  });

  it('enforces the 24-hour window from the last inbound message; HUMAN_AGENT extends it to 7 days', async () => {
    const { customer } = await t.client.inbound({ page_id: setup.page.id, text: 'hi' });
    await t.client.advanceClock(DAY - 60_000);
    assert.equal((await send(customer.id, { text: 'just in time' })).status, 200);
    await t.client.advanceClock(2 * 60_000);
    const late = await send(customer.id, { text: 'too late' });
    assert.equal(late.status, 400);
    assert.deepEqual([late.body.error.code, late.body.error.error_subcode], [10, 2018278]);
    assert.match(late.body.error.message, /^\(#10\) This message is sent outside of allowed window\./);
    const tagged = await send(
      customer.id,
      { text: 'agent here' },
      { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' },
    );
    assert.equal(tagged.status, 200, tagged.text);
    await t.client.advanceClock(7 * DAY);
    const tooLateEvenTagged = await send(
      customer.id,
      { text: 'x' },
      { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' },
    );
    assert.equal(tooLateEvenTagged.body.error.error_subcode, 2018278);
    await t.client.inbound({ page_id: setup.page.id, customer_id: customer.id, text: 'back again' });
    assert.equal(
      (await send(customer.id, { text: 'welcome back' })).status,
      200,
      'a new message reopens the window',
    );
  });

  it('Instagram: inbound under object "instagram" with the IG account as entry.id; echo and messaging_seen, no delivery', async () => {
    const ig = setup.page.instagram!;
    const inbound = await t.client.inbound({ ig_id: ig.id, text: 'ciao 👋' });
    const igsid = inbound.customer.id;
    assert.equal(inbound.object, 'instagram');
    const res = await send(igsid, { text: 'grazie' });
    assert.equal(res.status, 200, res.text);
    // Only this Page's Instagram account's webhooks: the previous test's Messenger delivery receipt can
    // still be on its way to the receiver when the emulator is reset (its POST was already sent).
    const mine = () => receiver.webhooks.filter((w) => w.json.entry[0]!.id === ig.id);
    await receiver.waitFor(() => mine().length >= 3);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(mine().map(fieldOf).sort(), ['echo', 'message', 'read']);
    for (const w of mine()) {
      verify(w);
      assert.equal(w.json.object, 'instagram');
      assert.equal(w.json.entry[0]!.id, ig.id);
    }
    const first = mine()[0]!.json.entry[0]!.messaging[0]!;
    assert.deepEqual([first.sender, first.recipient], [{ id: igsid }, { id: ig.id }]);
    const item = (kind: string) => mine().find((w) => fieldOf(w) === kind)!.json.entry[0]!.messaging[0]!;
    const echo = item('echo');
    assert.deepEqual([echo.sender, echo.recipient], [{ id: ig.id }, { id: igsid }]);
    const seen = item('read');
    assert.deepEqual(seen.read, { mid: res.body.message_id });
  });

  it('Instagram: text over 1000 bytes is refused; the window error is 10/2534022', async () => {
    const { customer } = await t.client.inbound({ ig_id: setup.page.instagram!.id, text: 'hi' });
    const long = await send(customer.id, { text: 'é'.repeat(501) });
    assert.equal(long.body.error.code, 100);
    assert.equal((await send(customer.id, { text: 'é'.repeat(500) })).status, 200);
    await t.client.advanceClock(DAY + 1);
    const late = await send(customer.id, { text: 'late' });
    assert.deepEqual([late.body.error.code, late.body.error.error_subcode], [10, 2534022]);
  });

  it('needs a Page token (210), pages_messaging (230), and a well-formed message', async () => {
    const { customer } = await t.client.inbound({ page_id: setup.page.id, text: 'hi' });
    const user = await t.graph.post(
      `${setup.page.id}/messages`,
      setup.user,
      { recipient: { id: customer.id }, message: { text: 'x' } },
      { as: 'json' },
    );
    assert.equal(user.body.error.code, 210);
    const limited = await pageToken(
      t,
      await userToken(t, 'one', { scope: APP_SCOPES.filter((s) => s !== 'pages_messaging') }),
      setup.page.id,
    );
    const noPerm = await t.graph.post(
      'me/messages',
      limited,
      { recipient: { id: customer.id }, message: { text: 'x' } },
      { as: 'json' },
    );
    assert.equal(
      noPerm.body.error.message,
      '(#230) Requires pages_messaging permission to manage the object',
    );
    assert.equal((await send(customer.id, {})).body.error.code, 100);
    assert.equal(
      (await send(customer.id, { text: 'x' }, { messaging_type: 'SOMETIMES' })).body.error.code,
      100,
    );
    const noRecipient = await t.graph.post(
      'me/messages',
      setup.token,
      { message: { text: 'x' } },
      { as: 'json' },
    );
    assert.equal(noRecipient.body.error.message, '(#100) The parameter recipient is required');
  });

  it('a Page whose task list lacks MESSAGING cannot send', async () => {
    await t.client.createPersona({ key: 'viewer', pages: 1, tasks: ['ANALYZE', 'MODERATE'] });
    const page = (await t.client.state()).personas.find((p) => p.key === 'viewer')!.pages[0]!;
    const token = await pageToken(t, await userToken(t, 'viewer'), page.id);
    const { customer } = await t.client.inbound({ page_id: page.id, text: 'hi' });
    const res = await t.graph.post(
      'me/messages',
      token,
      { recipient: { id: customer.id }, message: { text: 'x' } },
      { as: 'json' },
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 200);
  });

  it('POST /_emulator/read emits a read now', async () => {
    await t.client.reset({ auto_delivery_ms: null, auto_read_ms: null });
    await settleReceiver();
    setup = await connectForMessaging(t, receiver.webhookUrl);
    const { customer } = await t.client.inbound({ page_id: setup.page.id, text: 'hi' });
    const res = await send(customer.id, { text: 'hello' });
    const read = await t.client.read({ page_id: setup.page.id, customer_id: customer.id });
    assert.ok(read.delivery.state === 'delivered');
    await receiver.waitFor((r) => r.webhooks.length >= 3);
    assert.deepEqual(receiver.webhooks.map(fieldOf).sort(), ['echo', 'message', 'read']);
    assert.equal((await t.client.sent())[0]!.read_at !== null, true);
    assert.ok(res.body.message_id);
  });
});

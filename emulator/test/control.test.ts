// The control API's own behaviour: account callbacks signed as Meta signs them, personas, state,
// reset, validation — and the playground page.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { EmulatorError } from '../client.ts';
import { startTestEmulator, type TestEmulator, userToken } from './harness.ts';
import { type Receiver, startReceiver } from './receiver.ts';

function verifySignedRequest(signed: string, secret: string): Record<string, unknown> {
  const [sig, payload] = signed.split('.');
  assert.ok(sig && payload);
  const expected = createHmac('sha256', secret).update(payload).digest();
  assert.ok(Buffer.from(sig, 'base64url').equals(expected), 'signature verifies with the app secret');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

describe('control API', () => {
  let t: TestEmulator;
  let receiver: Receiver;
  before(async () => {
    t = await startTestEmulator({ now: () => 1_800_000_000_000 });
    receiver = await startReceiver(t.emu.verifyToken);
  });
  after(async () => {
    await receiver.close();
    await t.emu.close();
  });

  it('deauthorize POSTs a verifiable signed_request form and revokes the user’s tokens (190/458)', async () => {
    const token = await userToken(t, 'one');
    const res = await t.client.deauthorize({
      user_id: '100000000000002',
      url: `${receiver.url}/deauthorize`,
    });
    assert.equal(res.status, 200);
    const [callback] = receiver.callbacks;
    assert.equal(callback!.contentType, 'application/x-www-form-urlencoded');
    assert.equal(callback!.form.signed_request, res.signed_request);
    const payload = verifySignedRequest(callback!.form.signed_request!, t.emu.appSecret);
    assert.deepEqual(payload, {
      algorithm: 'HMAC-SHA256',
      issued_at: 1_800_000_000,
      user_id: '100000000000002',
    });
    assert.throws(() => verifySignedRequest(callback!.form.signed_request!, 'wrong-secret'));
    const after = await t.graph.get('me', token);
    assert.deepEqual([after.body.error.code, after.body.error.error_subcode], [190, 458]);
  });

  it('data-deletion POSTs a signed_request with expires and returns the app’s JSON answer', async () => {
    const res = await t.client.dataDeletion({
      user_id: '100000000000003',
      url: `${receiver.url}/data-deletion`,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body!), {
      url: 'https://app.example/deletion?id=abc123',
      confirmation_code: 'abc123',
    });
    const payload = verifySignedRequest(receiver.callbacks.at(-1)!.form.signed_request!, t.emu.appSecret);
    assert.deepEqual(payload, {
      algorithm: 'HMAC-SHA256',
      expires: 1_800_003_600,
      issued_at: 1_800_000_000,
      user_id: '100000000000003',
    });
    const unreachable = await t.client.dataDeletion({ user_id: '1', url: 'http://127.0.0.1:9/x' });
    assert.equal(unreachable.status, null);
    assert.ok(unreachable.error);
  });

  it('creates personas with custom tasks; duplicates and bad bodies are refused', async () => {
    const persona = await t.client.createPersona({
      key: 'mods',
      name: 'Mona Moderator',
      pages: 2,
      tasks: ['MODERATE'],
      ig_ratio: 1,
    });
    assert.equal(persona.user_id.length, 15);
    assert.deepEqual(
      persona.pages.map((p) => p.tasks),
      [['MODERATE'], ['MODERATE']],
    );
    assert.ok(persona.pages.every((p) => p.instagram?.id.startsWith('17841')));
    const token = await userToken(t, 'mods');
    const listed = await t.graph.get('me/accounts', token, { fields: 'tasks' });
    assert.deepEqual(listed.body.data[0].tasks, ['MODERATE']);
    await assert.rejects(
      t.client.createPersona({ key: 'mods', pages: 1 }),
      (e: unknown) => e instanceof EmulatorError && e.status === 409,
    );
    await assert.rejects(
      t.client.createPersona({ pages: -1 }),
      (e: unknown) => e instanceof EmulatorError && e.status === 400,
    );
    await assert.rejects(
      t.client.inbound({ text: 'no target' }),
      (e: unknown) => e instanceof EmulatorError && e.status === 400,
    );
    await assert.rejects(
      t.client.inbound({ page_id: '1', text: 'x' }),
      (e: unknown) => e instanceof EmulatorError && e.status === 404,
    );
  });

  it('state lists personas, customers and tokens without any token value', async () => {
    const token = await userToken(t, 'three');
    await t.client.inbound({
      page_id: '200000300000001',
      customer_id: '5555555555555555',
      customer_name: 'Ada Lovelace',
      text: 'hi',
    });
    const res = await fetch(`${t.emu.url}/_emulator/state`);
    const text = await res.text();
    assert.ok(!text.includes(token));
    assert.ok(!text.includes(t.emu.appSecret));
    const state = JSON.parse(text);
    assert.deepEqual(
      state.personas.slice(0, 5).map((p: { key: string; pages: unknown[] }) => [p.key, p.pages.length]),
      [
        ['none', 0],
        ['one', 1],
        ['three', 3],
        ['thirty', 30],
        ['business', 1],
      ],
    );
    assert.equal(state.personas[4].pages[0].business_only, true);
    assert.deepEqual(
      state.customers.find((c: { id: string }) => c.id === '5555555555555555'),
      {
        id: '5555555555555555',
        channel: 'messenger',
        name: 'Ada Lovelace',
        username: 'ada.lovelace',
        page_id: '200000300000001',
        ig_id: null,
        last_inbound_at: 1_800_000_000_000,
      },
    );
    assert.ok(
      state.tokens.some((tk: { type: string; state: string }) => tk.type === 'USER' && tk.state === 'valid'),
    );
    await assert.rejects(
      t.client.inbound({ ig_id: '17841000030000001', customer_id: '5555555555555555', text: 'x' }),
      (e: unknown) => e instanceof EmulatorError && e.status === 409,
    );
  });

  it('reset re-seeds the world, clears logs and applies new settings; the clock moves', async () => {
    await t.client.faults({ endpoint: 'me', count: 5 });
    const moved = await t.client.advanceClock(60_000);
    assert.equal(moved.now, 1_800_000_060_000);
    const state = await t.client.reset({ latency_ms: 5, auto_read_ms: null });
    assert.equal(state.now, 1_800_000_000_000);
    assert.deepEqual(state.customers, []);
    assert.deepEqual(state.faults, []);
    assert.deepEqual(state.tokens, []);
    assert.equal(state.personas.length, 5);
    assert.equal(state.settings.latency_ms, 5);
    assert.equal(state.settings.auto_read_ms, null);
    assert.equal(state.settings.auto_delivery_ms, 300);
    assert.deepEqual(await t.client.calls(), []);
    assert.deepEqual(await t.client.sent(), []);
    assert.equal((await t.client.reset()).settings.latency_ms, 0, 'a plain reset restores startup settings');
  });

  it('unknown control paths are JSON 404s', async () => {
    const res = await fetch(`${t.emu.url}/_emulator/nope`);
    assert.equal(res.status, 404);
    assert.match((await res.json()).error.message, /no control endpoint/);
  });

  it('serves the play-the-customer page at /', async () => {
    const res = await fetch(`${t.emu.url}/`);
    const html = await res.text();
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    for (const id of ['target', 'customer-name', 'text'])
      assert.match(html, new RegExp(`<label for="${id}">`));
    assert.match(html, /\/_emulator\/inbound/);
    assert.match(html, /\/_emulator\/sent/);
    assert.match(html, /aria-live="polite"/);
    assert.ok(!/src="http|href="http/.test(html), 'no external assets');
  });
});

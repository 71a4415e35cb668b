// Issue 13, attachments sent: POST /api/conversations/:id/attachments (multipart) on Messenger and
// Instagram with the emulator as Meta, which fetches the signed Parley URL as Meta does. Channel limits
// answer 413/415 before anything is kept or sent; the upload needs X-Parley-Upload (CSRF). And
// META_HUMAN_AGENT: a reply two days after the customer's last message goes out tagged HUMAN_AGENT.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { samplePng } from '../emulator/cdn-files.ts';
import type { ConversationView, MessageView } from '../src/contract.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';

let personas = 0;

describe('attachments sent, and Human Agent replies', () => {
  let h: Harness;
  let meta: EmulatedMeta;

  before(async () => {
    h = await startHarness({
      db: 'sqlite',
      realClock: true,
      meta: emulatorFor,
      env: { META_MEDIA_HOSTS: '127.0.0.1', META_HUMAN_AGENT: 'true' },
    });
    meta = emulated(h.meta);
    await meta.client.reset({ auto_delivery_ms: null, auto_read_ms: null });
  });
  after(() => h.close());

  const connected = async () => {
    const key = `attach-${++personas}`;
    const persona = await meta.client.createPersona({ key, pages: 1, ig_ratio: 1 });
    const b = new Browser(h.url);
    await signup(b, `Attach ${personas}`);
    await connectAs(b, meta, key);
    const page = persona.pages[0]!;
    return { b, pageId: page.id, igId: page.instagram!.id };
  };
  const conversationWith = async (b: Browser, customerId: string) => {
    await h.features.inbox.processor.drain();
    const list = (await b.get<{ conversations: ConversationView[] }>('/api/conversations')).body
      .conversations;
    return list.find((c) => c.participant.id === customerId)!;
  };
  const upload = (
    b: Browser,
    conversationId: string,
    file: { bytes: Buffer; name: string; type: string },
    opts: { text?: string; header?: boolean } = {},
  ) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    if (opts.text) form.append('text', opts.text);
    return fetch(`${h.url}/api/conversations/${conversationId}/attachments`, {
      method: 'POST',
      body: form,
      headers: {
        cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(opts.header === false ? {} : { 'x-parley-upload': '1' }),
      },
    });
  };

  it('Messenger: a picture with a caption reaches the customer (Meta fetched the signed URL); the thread shows our stored copy', async () => {
    const o = await connected();
    const inbound = await meta.client.inbound({ page_id: o.pageId, text: 'Photo of the cake?' });
    const conv = await conversationWith(o.b, inbound.customer.id);
    const png = samplePng('cake');
    const res = await upload(
      o.b,
      conv.id,
      { bytes: png, name: 'cake.png', type: 'image/png' },
      { text: 'Here it is' },
    );
    assert.equal(res.status, 201);
    const { message } = (await res.json()) as { message: MessageView };
    assert.equal(message.direction, 'outbound');
    assert.equal(message.status, 'sent');
    const att = message.attachments[0]!;
    assert.deepEqual(
      [att.type, att.mime_type, att.size, att.name],
      ['image', 'image/png', png.length, 'cake.png'],
    );
    assert.match(att.url!, /^\/api\/media\//);

    const onMeta = await meta.client.sent({ page_id: o.pageId, recipient_id: inbound.customer.id });
    assert.equal(onMeta.length, 2, 'the file, then the caption');
    assert.equal(onMeta[0]!.attachment!.type, 'image');
    assert.match(String(onMeta[0]!.attachment!.payload.url), /\/media\/signed\/.+\?expires=\d+&signature=/);
    assert.deepEqual(onMeta[0]!.file, { content_type: 'image/png', size: png.length });
    const received = Buffer.from(
      await (await fetch(`${meta.url}/_emulator/sent/${onMeta[0]!.mid}/file`)).arrayBuffer(),
    );
    assert.ok(received.equals(png), 'the customer got the same bytes');
    assert.equal(onMeta[1]!.text, 'Here it is');
    // The signed link is for Meta only: tampered, it is not found.
    const signed = new URL(String(onMeta[0]!.attachment!.payload.url));
    signed.searchParams.set('signature', 'x'.repeat(43));
    assert.equal((await fetch(signed)).status, 404);
  });

  it('limits before upload: Instagram images over 8 MB → 413, a type Instagram cannot carry → 415; no CSRF header → 403; another org → 404', async () => {
    const o = await connected();
    const inbound = await meta.client.inbound({ ig_id: o.igId, text: 'hi' });
    const conv = await conversationWith(o.b, inbound.customer.id);
    const big = Buffer.concat([samplePng('big'), Buffer.alloc(9 * 1024 * 1024)]);
    const tooBig = await upload(o.b, conv.id, { bytes: big, name: 'big.png', type: 'image/png' });
    assert.equal(tooBig.status, 413);
    assert.equal(((await tooBig.json()) as { error: { code: string } }).error.code, 'file_too_large');
    const text = await upload(o.b, conv.id, {
      bytes: Buffer.from('plain words'),
      name: 'notes.txt',
      type: 'text/plain',
    });
    assert.equal(text.status, 415);
    assert.equal(((await text.json()) as { error: { code: string } }).error.code, 'unsupported_media_type');
    const noHeader = await upload(
      o.b,
      conv.id,
      { bytes: samplePng('x'), name: 'x.png', type: 'image/png' },
      { header: false },
    );
    assert.equal(noHeader.status, 403);
    const other = await connected();
    const foreign = await upload(other.b, conv.id, {
      bytes: samplePng('x'),
      name: 'x.png',
      type: 'image/png',
    });
    assert.equal(foreign.status, 404);
    assert.equal((await meta.client.sent({ recipient_id: inbound.customer.id })).length, 0, 'nothing sent');
    const media = await h.testDb.database.db
      .selectFrom('media')
      .select('id')
      .where('owner', 'like', 'message:%')
      .execute();
    assert.equal(media.length, 1, 'only the first test kept an upload');
  });

  it('over 25 MB on Messenger → 413 file_too_large', async () => {
    const o = await connected();
    const inbound = await meta.client.inbound({ page_id: o.pageId, text: 'send the video' });
    const conv = await conversationWith(o.b, inbound.customer.id);
    const res = await upload(o.b, conv.id, {
      bytes: Buffer.alloc(25 * 1024 * 1024 + 10),
      name: 'v.mp4',
      type: 'video/mp4',
    });
    assert.equal(res.status, 413);
  });

  it('META_HUMAN_AGENT: two days after the last message the reply goes out as MESSAGE_TAG / HUMAN_AGENT; after 7 days it is refused', async () => {
    const o = await connected();
    const inbound = await meta.client.inbound({ page_id: o.pageId, text: 'Any news?' });
    const conv = await conversationWith(o.b, inbound.customer.id);
    const settings = await o.b.get<{ human_agent: boolean }>('/api/inbox/settings');
    assert.deepEqual(settings.body, { human_agent: true });
    const twoDays = 2 * 24 * 3600_000;
    await meta.client.advanceClock(twoDays);
    await h.testDb.database.db
      .updateTable('conversations')
      .set((eb) => ({ last_inbound_at: eb('last_inbound_at', '-', twoDays) }))
      .where('id', '=', conv.id)
      .execute();
    const res = await o.b.post<{ message: MessageView }>(`/api/conversations/${conv.id}/messages`, {
      text: 'It ships Monday',
    });
    assert.equal(res.status, 201);
    const [sent] = await meta.client.sent({ recipient_id: inbound.customer.id });
    assert.equal(sent!.messaging_type, 'MESSAGE_TAG');
    assert.equal(sent!.tag, 'HUMAN_AGENT');
    await h.testDb.database.db
      .updateTable('conversations')
      .set((eb) => ({ last_inbound_at: eb('last_inbound_at', '-', 6 * 24 * 3600_000) }))
      .where('id', '=', conv.id)
      .execute();
    const late = await o.b.post<{ error: { code: string } }>(`/api/conversations/${conv.id}/messages`, {
      text: 'Hello?',
    });
    assert.equal(late.status, 422);
    assert.equal(late.body.error.code, 'outside_messaging_window');
  });
});

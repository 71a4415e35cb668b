// Issue 13, "every event kind, stored and shown": the emulator's customer sends each kind in the shape
// Meta sends it (Messenger and Instagram), signed, over HTTP; the API shows what the thread must show.
// On SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConversationView, MessageView } from '../src/contract.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';

let personas = 0;

for (const db of ['sqlite', 'postgres'] as const) {
  describe(`every event kind on ${db}`, () => {
    let h: Harness;
    let meta: EmulatedMeta;

    before(async () => {
      h = await startHarness({
        db,
        realClock: true,
        meta: emulatorFor,
        env: { META_MEDIA_HOSTS: 'fbcdn.net,127.0.0.1' },
      });
      meta = emulated(h.meta);
      await meta.client.reset({ auto_delivery_ms: null, auto_read_ms: null });
    });
    after(() => h.close());

    const drain = async () => {
      await h.features.inbox.processor.drain();
      await h.features.meta.jobs.runDue();
    };
    const connected = async () => {
      const key = `kinds-${db}-${++personas}`;
      const persona = await meta.client.createPersona({ key, pages: 1, ig_ratio: 1 });
      const b = new Browser(h.url);
      await signup(b, `Kinds ${personas}`);
      await connectAs(b, meta, key);
      const page = persona.pages[0]!;
      return { b, pageId: page.id, igId: page.instagram!.id };
    };
    const conversations = async (b: Browser) =>
      (await b.get<{ conversations: ConversationView[] }>('/api/conversations')).body.conversations;
    const thread = async (b: Browser, id: string) =>
      (await b.get<{ messages: MessageView[] }>(`/api/conversations/${id}/messages`)).body.messages;
    const cdn = (file: string) => `${meta.url}/_emulator/cdn/${file}`;

    it('Messenger: text, every attachment type, quick reply, reply_to, reaction and its removal, edit, postback, referral, standby', async () => {
      const o = await connected();
      const first = await meta.client.inbound({
        page_id: o.pageId,
        text: 'Hello',
        customer_name: 'Maya Lopez',
        referral: {
          ref: 'spring-sale',
          source: 'ADS',
          type: 'OPEN_THREAD',
          ad_id: '6045246247433',
          ads_context_data: { ad_title: 'Spring sale' },
        },
      });
      const customer = first.customer.id;
      const send = (body: Omit<Parameters<typeof meta.client.inbound>[0], 'page_id'>) =>
        meta.client.inbound({ page_id: o.pageId, customer_id: customer, ...body });
      await send({ attachments: [{ type: 'image', url: cdn('photo.png') }] });
      await send({ attachments: [{ type: 'video', url: cdn('clip.mp4') }] });
      await send({ attachments: [{ type: 'audio', url: cdn('voice.mp3') }] });
      await send({ attachments: [{ type: 'file', url: cdn('invoice.pdf') }] });
      await send({ attachments: [{ type: 'image', url: cdn('like.png'), sticker_id: 369239263222822 }] });
      await send({
        attachments: [{ type: 'location', title: 'Bakery', coordinates: { lat: 48.85, long: 2.35 } }],
      });
      await send({ attachments: [{ type: 'fallback', url: 'https://example.com/menu', title: 'Our menu' }] });
      await send({
        attachments: [{ type: 'template', elements: [{ title: 'Croissant', subtitle: '2 €' }] }],
      });
      await send({ text: 'Red please', quick_reply_payload: 'COLOR_RED' });
      await send({ text: 'About that', reply_to_mid: first.mids[0] });
      await drain();
      const react = await meta.client.customerEvent({
        page_id: o.pageId,
        customer_id: customer,
        kind: 'react',
        mid: first.mids[0]!,
        emoji: '❤️',
      });
      assert.equal(react.delivery.state, 'delivered');
      await meta.client.customerEvent({
        page_id: o.pageId,
        customer_id: customer,
        kind: 'edit',
        mid: first.mids[0]!,
        text: 'Hello there',
      });
      await meta.client.customerEvent({
        page_id: o.pageId,
        customer_id: customer,
        kind: 'postback',
        title: 'Opening hours',
        payload: 'HOURS',
      });
      await drain();

      // The person's picture (profile_pic) is kept like any file.
      let conv = (await conversations(o.b))[0]!;
      for (let i = 0; i < 50 && !conv.participant.avatar_url; i++) {
        await new Promise((r) => setTimeout(r, 20));
        await drain();
        conv = (await conversations(o.b))[0]!;
      }
      assert.equal(conv.participant.name, 'Maya Lopez');
      assert.match(conv.participant.avatar_url ?? '', /^\/api\/media\//);
      const avatar = await o.b.get(conv.participant.avatar_url!);
      assert.equal(avatar.status, 200);
      assert.equal(avatar.headers.get('content-type'), 'image/svg+xml');
      assert.deepEqual(conv.referral, {
        source: 'ADS',
        type: 'OPEN_THREAD',
        ref: 'spring-sale',
        ad_id: '6045246247433',
        ad_title: 'Spring sale',
      });
      assert.equal(conv.handled_by_another_app, false);
      const msgs = (await thread(o.b, conv.id)).reverse();
      const byText = (t: string) => msgs.find((m) => m.text === t)!;
      const hello = byText('Hello there');
      assert.equal(hello.reaction, '❤️');
      assert.equal(hello.edit_count, 1);
      assert.equal(hello.referral?.ad_id, '6045246247433');
      const files = msgs.filter((m) => m.attachments.length > 0).map((m) => m.attachments[0]!);
      const types = files.map((a) => [a.type, a.mime_type, a.url !== null]);
      assert.deepEqual(types, [
        ['image', 'image/png', true],
        ['video', 'video/mp4', true],
        ['audio', 'audio/mpeg', true],
        ['file', 'application/pdf', true],
        ['image', 'image/png', true],
        ['location', null, false],
        ['fallback', null, false],
        ['template', null, false],
      ]);
      assert.equal(files[4]!.sticker, true);
      assert.deepEqual(files[5]!.location, { lat: 48.85, long: 2.35 });
      assert.equal(files[5]!.title, 'Bakery');
      assert.equal(files[6]!.link, 'https://example.com/menu');
      assert.equal(files[6]!.title, 'Our menu');
      assert.equal(files[7]!.title, 'Croissant');
      for (const f of files.slice(0, 5)) assert.match(f.url!, /^\/api\/media\/[0-9a-f-]{36}$/);
      assert.equal(byText('Red please').payload, 'COLOR_RED');
      assert.deepEqual(byText('About that').reply_to, { mid: first.mids[0], text: 'Hello there' });
      const postback = byText('Opening hours');
      assert.equal(postback.payload, 'HOURS');
      assert.equal(postback.direction, 'inbound');

      await meta.client.customerEvent({
        page_id: o.pageId,
        customer_id: customer,
        kind: 'unreact',
        mid: first.mids[0]!,
      });
      // Another app takes the thread: its events arrive under standby, stored and flagged.
      await send({ text: 'Is anyone there?', standby: true });
      await drain();
      const after = await thread(o.b, conv.id);
      assert.equal(after.find((m) => m.mid === first.mids[0])!.reaction, null);
      assert.equal(after[0]!.text, 'Is anyone there?');
      assert.equal(after[0]!.standby, true);
      assert.equal((await conversations(o.b))[0]!.handled_by_another_app, true);
      // Back in our own messaging[]: the app owns the thread again.
      await send({ text: 'Thanks' });
      await drain();
      assert.equal((await conversations(o.b))[0]!.handled_by_another_app, false);
      // A referral without a message (m.me link opened) on a fresh conversation.
      const linkOnly = await meta.client.inbound({ page_id: o.pageId, text: 'Hi from the link' });
      await meta.client.customerEvent({
        page_id: o.pageId,
        customer_id: linkOnly.customer.id,
        kind: 'referral',
        referral: { ref: 'qr-counter', source: 'SHORTLINK', type: 'OPEN_THREAD' },
      });
      await drain();
      const linked = (await conversations(o.b)).find((c) => c.participant.id === linkOnly.customer.id)!;
      assert.equal(linked.referral?.source, 'SHORTLINK');
      assert.equal(linked.referral?.ref, 'qr-counter');
    });

    it('Instagram: story reply (the story shown), story_mention, share, ig_reel, reel, is_unsupported, unsend, reaction', async () => {
      const o = await connected();
      const first = await meta.client.inbound({
        ig_id: o.igId,
        text: 'Love this!',
        reply_to_story: { url: cdn('story.jpg'), id: '17890000000000001' },
      });
      const customer = first.customer.id;
      const send = (body: Omit<Parameters<typeof meta.client.inbound>[0], 'ig_id'>) =>
        meta.client.inbound({ ig_id: o.igId, customer_id: customer, ...body });
      await send({ attachments: [{ type: 'story_mention', url: cdn('mention.png') }] });
      await send({ attachments: [{ type: 'share', url: cdn('post.png') }] });
      await send({ attachments: [{ type: 'ig_reel', url: cdn('reel.mp4'), title: 'Our croissants' }] });
      await send({ attachments: [{ type: 'reel', url: cdn('reel2.mp4') }] });
      await send({ is_unsupported: true });
      const gone = await send({ text: 'oops, wrong chat' });
      await drain();
      await meta.client.customerEvent({
        ig_id: o.igId,
        customer_id: customer,
        kind: 'unsend',
        mid: gone.mids[0]!,
      });
      await meta.client.customerEvent({
        ig_id: o.igId,
        customer_id: customer,
        kind: 'react',
        mid: first.mids[0]!,
        emoji: '😂',
      });
      await drain();
      const conv = (await conversations(o.b))[0]!;
      assert.equal(conv.channel, 'instagram');
      const msgs = (await thread(o.b, conv.id)).reverse();
      const story = msgs[0]!;
      assert.equal(story.text, 'Love this!');
      assert.equal(story.reaction, '😂');
      assert.equal(story.attachments[0]!.type, 'story_reply');
      assert.equal(story.attachments[0]!.mime_type, 'image/png');
      assert.match(story.attachments[0]!.url!, /^\/api\/media\//);
      assert.deepEqual(
        msgs.slice(1, 5).map((m) => [m.attachments[0]!.type, m.attachments[0]!.mime_type]),
        [
          ['story_mention', 'image/png'],
          ['share', 'image/png'],
          ['ig_reel', 'video/mp4'],
          ['reel', 'video/mp4'],
        ],
      );
      assert.equal(msgs[3]!.attachments[0]!.title, 'Our croissants');
      assert.equal(msgs[5]!.unsupported, true);
      assert.equal(msgs[6]!.deleted, true);
      assert.equal(msgs[6]!.text, null);

      // Unsending a message with a file forgets the file too (Meta's deletion rules).
      const mentionUrl = msgs[1]!.attachments[0]!.url!;
      assert.equal((await o.b.get(mentionUrl)).status, 200);
      await meta.client.customerEvent({
        ig_id: o.igId,
        customer_id: customer,
        kind: 'unsend',
        mid: msgs[1]!.mid!,
      });
      await drain();
      assert.equal((await o.b.get(mentionUrl)).status, 404);
      assert.equal((await thread(o.b, conv.id)).find((m) => m.mid === msgs[1]!.mid)!.attachments.length, 0);
    });
  });
}

// Issue 13 in Chromium: every attachment kind a customer can send (Messenger and Instagram) shown in the
// thread from Parley's own media store (screenshots at 1280 and 390 px in test-artifacts/), and the
// round trip of an agent's picture: attached in the composer (preview), sent, fetched by the emulator
// as Meta does, and received on the customer's side.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { samplePng } from '../../emulator/cdn-files.ts';
import type { InboundRequest } from '../../emulator/control-contract.ts';
import { type Harness, startHarness } from '../support/app-harness.ts';
import { type EmulatedMeta, emulatorFor } from '../support/meta-flow.ts';
import { connectOnePage, openConversation, signUpInBrowser } from './browser-flow.ts';
import { openChromium, type Session, screenshot } from './chromium.ts';

describe('browser: every attachment kind, and an attachment sent (Chromium)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  let chrome: Session;
  let page: Page;
  let connection: { facebook_page_id: string; instagram_business_account_id: string };

  before(async () => {
    h = await startHarness({
      db: 'sqlite',
      realClock: true,
      meta: emulatorFor,
      env: { META_MEDIA_HOSTS: '127.0.0.1' },
    });
    meta = h.meta as EmulatedMeta;
    await meta.client.reset({ auto_delivery_ms: 200, auto_read_ms: null });
    chrome = await openChromium();
    page = chrome.page;
    page.setDefaultTimeout(10_000);
    await signUpInBrowser(page, h.url, 'Media Co', 'media');
    await connectOnePage(page, h.url, meta.url);
    const status = await page.request.get(`${h.url}/api/integrations/meta`);
    connection = ((await status.json()) as { connection: typeof connection }).connection;
  });
  after(async () => {
    await chrome?.close();
    await h.close();
  });

  const cdn = (file: string) => `${meta.url}/_emulator/cdn/${file}`;
  /** Webhooks are processed as they come; media downloads are jobs: run them until none is left. */
  const keepMedia = async () => {
    for (let i = 0; i < 10; i++) {
      await h.features.inbox.processor.drain();
      await h.features.meta.jobs.runDue();
      const left = await h.testDb.database.db
        .selectFrom('media')
        .select('id')
        .where('status', '=', 'pending')
        .execute();
      if (left.length === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  async function showAll(
    channel: 'messenger' | 'instagram',
    customer: string,
    messages: Array<Omit<InboundRequest, 'page_id' | 'ig_id'>>,
  ) {
    const target =
      channel === 'messenger'
        ? { page_id: connection.facebook_page_id }
        : { ig_id: connection.instagram_business_account_id };
    const first = await meta.client.inbound({ ...target, customer_name: customer, ...messages[0]! });
    for (const m of messages.slice(1))
      await meta.client.inbound({ ...target, customer_id: first.customer.id, ...m });
    await keepMedia();
    await page.goto(`${h.url}/inbox`);
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('link', { name: new RegExp(customer) })
      .click();
    const log = page.getByRole('log');
    await log
      .getByText(messages.at(-1)!.text ?? 'unsupported')
      .first()
      .waitFor()
      .catch(() => {});
    // Every picture loaded from /api/media (not Meta's CDN), nothing left "downloading".
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.thread__log img')].every(
        (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
      ),
    );
    const sources = await log.locator('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
    assert.ok(
      sources.length > 0 && sources.every((s) => s?.startsWith('/api/media/')),
      JSON.stringify(sources),
    );
    assert.equal(await log.getByText(/downloading/).count(), 0);
    // Tall windows so that the whole thread (a scrolling pane) is in the picture.
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 3400 : 2200 });
      await page.waitForTimeout(200);
      await screenshot(page, `media-${channel}-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
    return first.customer.id;
  }

  it('Messenger: image, sticker, video, audio, file, location, shared link, template, reply, quick reply, a file Meta lost', async () => {
    const customer = 'Maya Lopez';
    await meta.client.forgetCdn('lost.png');
    await showAll('messenger', customer, [
      {
        text: 'Hi! Photos of the order below',
        referral: {
          ref: 'spring',
          source: 'ADS',
          type: 'OPEN_THREAD',
          ad_id: '42',
          ads_context_data: { ad_title: 'Spring sale' },
        },
      },
      { attachments: [{ type: 'image', url: cdn('cake.png') }] },
      { attachments: [{ type: 'image', url: cdn('like.png'), sticker_id: 369239263222822 }] },
      { attachments: [{ type: 'video', url: cdn('clip.mp4') }] },
      { attachments: [{ type: 'audio', url: cdn('voice.mp3') }] },
      { attachments: [{ type: 'file', url: cdn('invoice.pdf') }] },
      {
        attachments: [
          { type: 'location', title: 'Olivia’s Bakery', coordinates: { lat: 48.8566, long: 2.3522 } },
        ],
      },
      { attachments: [{ type: 'fallback', url: 'https://example.com/menu', title: 'Our spring menu' }] },
      { attachments: [{ type: 'template', elements: [{ title: 'Croissant box', subtitle: '12 €' }] }] },
      { text: 'This one is blurry', attachments: [{ type: 'image', url: cdn('lost.png') }] },
      { text: 'Red, please', quick_reply_payload: 'COLOR_RED' },
    ]);
    await page.getByRole('log').getByText('media no longer available').waitFor();
  });

  it('Instagram: story reply, story mention, shared post, reels, unsupported', async () => {
    await showAll('instagram', 'Ig Fan', [
      { text: 'Love this!', reply_to_story: { url: cdn('story.png'), id: '17890000000000001' } },
      { attachments: [{ type: 'story_mention', url: cdn('mention.png') }] },
      { attachments: [{ type: 'share', url: cdn('post.png') }] },
      { attachments: [{ type: 'ig_reel', url: cdn('reel.mp4'), title: 'Croissants in the making' }] },
      { attachments: [{ type: 'reel', url: cdn('reel2.mp4') }] },
      { is_unsupported: true },
    ]);
    await page
      .getByRole('log')
      .getByText(/can't be shown here/)
      .waitFor();
  });

  it('round trip: attach a picture (preview), send with a caption; the emulator (Meta) fetched it and the customer has it', async () => {
    const inbound = await meta.client.inbound({
      page_id: connection.facebook_page_id,
      customer_name: 'Round Trip',
      text: 'Can I see it?',
    });
    await page.goto(`${h.url}/inbox`);
    await openConversation(page, /Round Trip/, 'Can I see it?');
    const png = samplePng('round-trip');
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'box.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('img', { name: 'Preview of box.png' }).waitFor();
    await page.getByLabel('Reply').fill('Here is your box');
    await screenshot(page, 'media-composer-preview-1280');
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('log');
    await log.getByText('Here is your box').waitFor();
    await log.locator('img[src^="/api/media/"]').last().waitFor();
    const sent = await meta.client.sent({ recipient_id: inbound.customer.id });
    assert.equal(sent[0]!.attachment!.type, 'image');
    assert.deepEqual(sent[0]!.file, { content_type: 'image/png', size: png.length });
    const received = Buffer.from(
      await (await fetch(`${meta.url}/_emulator/sent/${sent[0]!.mid}/file`)).arrayBuffer(),
    );
    assert.ok(received.equals(png), 'the customer received the same picture');
    assert.equal(sent[1]!.text, 'Here is your box');
    await screenshot(page, 'media-sent-1280');
    // The emulator's play-the-customer page, as a newcomer would open it, shows the picture arriving.
    const customer = await page.context().newPage();
    try {
      await customer.goto(meta.url);
      const target = `page:${connection.facebook_page_id}`;
      await customer.evaluate(
        ([t, id]) => {
          localStorage.setItem('emulator-target', t!);
          localStorage.setItem(`emulator-customer:${t}`, id!);
        },
        [target, inbound.customer.id],
      );
      await customer.reload();
      await customer.getByRole('img', { name: 'Image from the app' }).waitFor();
      await customer.getByText('Here is your box').waitFor();
      await screenshot(customer, 'media-customer-page-1280');
    } finally {
      await customer.close();
    }
  });
});

// Issue 5 in a real browser: the emulator's customer writes "héllo 👋" to the Page (then to its
// Instagram account); it appears in the inbox without a reload; the agent replies; the emulator shows
// the reply; the ticks turn to delivered and then read — all through real signed webhooks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { EmulatorClient } from '../../emulator/client.ts';
import { startEmulator } from '../../emulator/server.ts';
import { type Harness, startHarness } from '../support/app-harness.ts';
import { CALLBACK_PATH, type EmulatedMeta } from '../support/meta-flow.ts';
import { connectOnePage, signUpInBrowser } from './browser-flow.ts';
import { openChromium, type Session, screenshot } from './chromium.ts';

describe('browser: inbox with live updates and delivery ticks (Chromium)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  let chrome: Session;
  let page: Page;
  let connection: { facebook_page_id: string; instagram_business_account_id: string };

  before(async () => {
    h = await startHarness({
      db: 'sqlite',
      realClock: true,
      // Delivery receipts come by themselves; the read comes when the test has seen "Delivered" (the
      // customer opening the chat), so the order is deterministic however loaded the machine is.
      meta: async (appUrl) => {
        const emulator = await startEmulator({
          redirectUris: [`${appUrl}${CALLBACK_PATH}`],
          webhookRetryDelaysMs: [50, 100, 200],
          autoDeliveryMs: 300,
          autoReadMs: null,
        });
        return { ...emulator, client: new EmulatorClient(emulator.url) };
      },
    });
    meta = h.meta as EmulatedMeta;
    chrome = await openChromium();
    page = chrome.page;
    page.setDefaultTimeout(10_000);
    await signUpInBrowser(page, h.url, 'Inbox Co', 'agent');
    await connectOnePage(page, h.url, meta.url);
    const status = await page.request.get(`${h.url}/api/integrations/meta`);
    connection = ((await status.json()) as { connection: typeof connection }).connection;
  });
  after(async () => {
    await chrome?.close();
    await h.close();
  });

  async function converse(channel: 'messenger' | 'instagram', customer: string) {
    await page.goto(`${h.url}/inbox`);
    await page.getByRole('heading', { name: 'Inbox' }).first().waitFor();
    await page.waitForTimeout(300); // let the live stream open before the customer writes
    const target =
      channel === 'messenger'
        ? { page_id: connection.facebook_page_id }
        : { ig_id: connection.instagram_business_account_id };
    await meta.client.inbound({ ...target, customer_name: customer, text: 'héllo 👋' });
    // No reload: the conversation arrives over the live stream.
    const link = page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('link', { name: new RegExp(customer) });
    await link.waitFor();
    await link.click();
    const thread = page.getByRole('log');
    await thread.getByText('héllo 👋').waitFor();

    const reply = `Thanks ${customer}, on it!`;
    await page.getByLabel('Reply').fill(reply);
    await page.getByRole('button', { name: 'Send' }).click();
    await thread.getByText(reply).waitFor();
    // The thread shows the reply once the app has accepted it (with its clock icon); the send to Meta
    // ends a moment later, so the emulator's log is read until it holds the reply (at most 5 s).
    let sent: Array<{ text: string | null }> = [];
    for (let i = 0; i < 50 && !sent.some((m) => m.text === reply); i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      sent = await meta.client.sent({});
    }
    assert.ok(
      sent.some((m) => m.text === reply),
      'the emulator received the reply',
    );
    if (channel === 'messenger') await thread.getByRole('img', { name: 'Delivered' }).waitFor();
    const customerId = (await meta.client.inboundLog({})).at(-1)!.customer_id;
    await meta.client.read({ ...target, customer_id: customerId });
    await thread.getByRole('img', { name: 'Read' }).waitFor();
    await screenshot(page, `inbox-${channel}`);
    // Stored once, whatever Meta redelivered.
    const messages = await h.testDb.database.db
      .selectFrom('messages')
      .select(['text', 'direction'])
      .execute();
    assert.equal(
      messages.filter((m) => m.text === 'héllo 👋' && m.direction === 'inbound').length,
      channel === 'messenger' ? 1 : 2,
    );
    assert.equal(messages.filter((m) => m.text === reply).length, 1, 'the echo did not duplicate the reply');
  }

  it('Messenger: inbound appears live, the reply is delivered then read', async () => {
    await converse('messenger', 'Jane Doe');
  });

  it('Instagram: the same through the linked Instagram account', async () => {
    await converse('instagram', 'Ig Customer');
  });
});

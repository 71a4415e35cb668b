// Saved replies in a real browser with the emulator as Meta (issue 12 item 8): an admin adds them in
// Settings → Saved replies; in a conversation, typing `/ret` opens the picker, Enter puts the reply in
// the box with the customer's first name in place of {{first_name}}, and the sent text is what the
// emulator's Send API received. Screenshots of the tab and of the open picker at 1280 and at 390 × 844,
// where nothing scrolls sideways.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Harness } from '../support/app-harness.ts';
import type { EmulatedMeta } from '../support/meta-flow.ts';
import {
  connectedPageId,
  connectOnePage,
  customerWrites,
  openConversation,
  signUpInBrowser,
  startWithEmulator,
} from './browser-flow.ts';
import { openChromium, type Session, screenshot } from './chromium.ts';

const RETURNS =
  'Hi {{first_name}}, you can return any item within 30 days. Just reply with your order number.';

describe('browser: saved replies from Settings to the composer’s / picker (Chromium)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  let chrome: Session;
  let page: Page;
  let pageId: string;

  before(async () => {
    ({ h, meta } = await startWithEmulator());
    chrome = await openChromium();
    page = chrome.page;
    page.setDefaultTimeout(15_000);
    await signUpInBrowser(page, h.url, 'Saved Co', 'owner');
    await connectOnePage(page, h.url, meta.url);
    pageId = await connectedPageId(page, h.url);
    await customerWrites(h, meta, {
      page_id: pageId,
      customer_id: '2400000000000401',
      customer_name: 'Rosa Díaz',
      text: 'Can I still send back the shoes I bought?',
    });
  });
  after(async () => {
    await chrome?.close();
    await h.close();
  });

  const fits = () =>
    page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth');
  const addForm = () => page.getByRole('region', { name: 'Add a saved reply' });
  const listRegion = () => page.getByRole('region', { name: 'Saved replies' });

  async function add(title: string, text: string) {
    await addForm().getByLabel('Title').fill(title);
    await addForm().getByLabel('Text').fill(text);
    await addForm().getByRole('button', { name: 'Add saved reply' }).click();
    await listRegion().getByRole('heading', { name: title }).waitFor();
  }

  it('an admin adds saved replies in Settings; the empty state explains /', async () => {
    await page.goto(`${h.url}/settings`);
    await page.goto(`${h.url}/settings/tab/saved-replies`);
    await listRegion().getByText('No saved replies yet.').waitFor();
    await add('Return policy', RETURNS);
    await add('Opening hours', 'We are open Monday to Saturday, 9:00–18:00.');
    await add('Shipping times', 'Parcels leave within 24 hours; delivery takes 2–3 working days.');
    // Listed by title.
    const titles = await listRegion().getByRole('heading', { level: 3 }).allTextContents();
    assert.deepEqual(titles, ['Opening hours', 'Return policy', 'Shipping times']);
    await screenshot(page, 'saved-replies-settings-1280');
  });

  it('in a conversation, /ret then Enter inserts the reply with the customer’s first name; it is sent to Meta', async () => {
    await page.goto(`${h.url}/inbox`);
    await openConversation(page, /Rosa Díaz/, 'Can I still send back the shoes I bought?');
    const box = page.getByLabel('Reply');
    await box.click();
    await box.pressSequentially('/ret');
    const picker = page.getByRole('listbox', { name: 'Saved replies' });
    await picker.getByRole('option', { name: /Return policy/ }).waitFor();
    assert.equal(await box.getAttribute('aria-expanded'), 'true');
    const active = await box.getAttribute('aria-activedescendant');
    assert.equal(
      await page.locator(`[id="${active}"]`).getAttribute('aria-selected'),
      'true',
      'the active option is the selected one',
    );
    assert.match((await page.locator(`[id="${active}"]`).textContent()) ?? '', /Return policy/);
    await screenshot(page, 'saved-replies-picker-1280');

    await page.keyboard.press('Enter');
    const expected = RETURNS.replace('{{first_name}}', 'Rosa');
    assert.equal(await box.inputValue(), expected);
    assert.equal(await picker.count(), 0, 'the picker closed');

    await page.keyboard.press('Enter');
    await page.getByRole('log').getByText(expected).waitFor();
    const deadline = Date.now() + 5_000;
    let sent = await meta.client.sent({ page_id: pageId });
    while (!sent.some((m) => m.text === expected) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      sent = await meta.client.sent({ page_id: pageId });
    }
    assert.ok(
      sent.some((m) => m.text === expected),
      `the emulator received the saved reply (got ${JSON.stringify(sent.map((m) => m.text))})`,
    );
  });

  it('at 390 × 844 the tab and the open picker fit without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${h.url}/settings/tab/saved-replies`);
      await listRegion().getByRole('heading', { name: 'Return policy' }).waitFor();
      assert.ok(await fits(), 'the Saved replies tab fits');
      await screenshot(page, 'saved-replies-settings-390');

      await page.goto(`${h.url}/inbox`);
      await openConversation(page, /Rosa Díaz/, 'Can I still send back the shoes I bought?');
      const box = page.getByLabel('Reply');
      await box.click();
      await box.pressSequentially('/');
      await page.getByRole('listbox', { name: 'Saved replies' }).getByRole('option').first().waitFor();
      assert.equal(await page.getByRole('listbox', { name: 'Saved replies' }).getByRole('option').count(), 3);
      assert.ok(await fits(), 'the thread with the picker open fits');
      await screenshot(page, 'saved-replies-picker-390');
      await page.keyboard.press('Escape');
      assert.equal(await box.inputValue(), '/');
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });
});

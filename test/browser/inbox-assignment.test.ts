// Issue 12's assignment and authors in a real browser, with the emulator as Meta: an agent sees the
// composer say a reply assigns, replies (the thread header then names them, Mine counts it, the bubble
// names them), a reply from Meta's own app is shown as "Sent from Facebook", the menu hands the
// conversation back to nobody, and Unassigned lists it again. At 1280 and at 390 × 844 (no horizontal
// scrolling) with screenshots.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Harness } from '../support/app-harness.ts';
import type { EmulatedMeta } from '../support/meta-flow.ts';
import { metaEscapedJson, postWebhook } from '../support/webhook-client.ts';
import { echo, mid, pageBody } from '../support/webhook-payloads.ts';
import { ownerConnectsPage, startWithEmulator } from './browser-flow.ts';
import { openChromium, type Session, screenshot } from './chromium.ts';

describe('browser: assign by replying, authors, the assignee menu and the Mine/Unassigned views (Chromium)', () => {
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
    ({ pageId } = await ownerConnectsPage(h, meta, page, { name: 'Ana', organization: 'Assign Co' }));
    for (const [id, name, text] of [
      ['2400000000000301', 'Rosa Díaz', 'Is the shop open on Sunday?'],
      ['2400000000000302', 'Tom Ito', 'Can I change my delivery address?'],
    ] as const) {
      await meta.client.inbound({ page_id: pageId, customer_id: id, customer_name: name, text });
    }
    await h.features.inbox.processor.drain();
  });
  after(async () => {
    await chrome?.close();
    await h.close();
  });

  const list = () => page.getByRole('navigation', { name: 'Conversations' });
  const views = () => page.getByRole('group', { name: 'Assigned to' });

  it('a reply assigns the unassigned conversation to the replier and names them; echoes name Meta’s app', async () => {
    await page.goto(`${h.url}/inbox`);
    await views()
      .getByRole('button', { name: /Unassigned.*2 open/ })
      .waitFor();
    await list()
      .getByRole('link', { name: /Rosa Díaz/ })
      .click();
    await page.getByText('Replying assigns this conversation to you.').waitFor();
    await page.getByLabel('Reply').fill('Yes, 10 to 4.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const menu = page.getByRole('combobox', { name: 'Assignee' });
    await page.waitForFunction(
      () =>
        (document.querySelector('.assignee-menu__select') as HTMLSelectElement | null)?.selectedOptions[0]
          ?.textContent === 'Ana',
    );
    assert.equal(await page.getByText('Replying assigns this conversation to you.').count(), 0);
    await views()
      .getByRole('button', { name: /Mine.*1 open/ })
      .waitFor();
    await page
      .locator('.bubble--outbound')
      .filter({ hasText: 'Yes, 10 to 4.' })
      .locator('.bubble__author', { hasText: 'Ana' })
      .waitFor();

    // Tom is answered from the Page's inbox on Facebook: the echo carries another app's id.
    const body = pageBody(pageId, [
      echo(pageId, '2400000000000302', {
        mid: mid(),
        text: 'Sure, reply with the new one.',
        timestamp: Date.now(),
      }),
    ]);
    const secret = h.config.meta.app!.appSecret;
    assert.equal((await postWebhook(h.url, metaEscapedJson(body), { secret })).status, 200);
    await h.features.inbox.processor.drain();
    await list()
      .getByRole('link', { name: /Tom Ito/ })
      .getByText('Facebook: Sure, reply with the new one.')
      .waitFor();
    await list()
      .getByRole('link', { name: /Tom Ito/ })
      .click();
    await page.locator('.bubble__author', { hasText: 'Sent from Facebook' }).waitFor();
    await screenshot(page, 'inbox-assignment-1280');

    await list()
      .getByRole('link', { name: /Rosa Díaz/ })
      .click();
    await menu.selectOption({ label: 'Unassigned' });
    await page.getByText('Replying assigns this conversation to you.').waitFor();
    await views()
      .getByRole('button', { name: /Mine.*0 open/ })
      .waitFor();
    await views()
      .getByRole('button', { name: /Unassigned/ })
      .click();
    await list()
      .getByRole('link', { name: /Rosa Díaz/ })
      .waitFor();
  });

  it('at 390 × 844 the views and the thread header with its menu fit without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const fits = () =>
        page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
      await page.goto(`${h.url}/inbox`);
      await views().waitFor();
      await list()
        .getByRole('link', { name: /Rosa Díaz/ })
        .waitFor();
      assert.ok(await fits(), 'inbox list fits');
      await screenshot(page, 'inbox-assignment-list-390');
      await list()
        .getByRole('link', { name: /Rosa Díaz/ })
        .click();
      await page.getByRole('combobox', { name: 'Assignee' }).waitFor();
      await page.getByText('Replying assigns this conversation to you.').waitFor();
      assert.ok(await fits(), 'thread fits');
      await screenshot(page, 'inbox-assignment-thread-390');
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });
});

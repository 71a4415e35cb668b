// Issue 12 items 4 and 9 in Chromium, as two members in two browsers, with the emulator as Meta: the
// owner invites an agent (the invitation link copied from Settings → Members); a customer writes and the
// agent's tab title counts the unread conversation until the owner reads it; the owner switches the
// composer to Note, mentions the agent with the keyboard through the @-picker and adds the note; the
// agent, with the thread open, sees it arrive at once as an "Internal note" with the mention highlighted
// and the list preview unchanged; a second mention, while the agent is elsewhere, shows as "@ 1" and
// opening it from the Mentions list reads it; on a phone, with another thread open, the way back to the
// list shows the count. Screenshots at 1280 and 390 px (no horizontal scrolling).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Harness } from '../support/app-harness.ts';
import { uniqueEmail } from '../support/http-client.ts';
import type { EmulatedMeta } from '../support/meta-flow.ts';
import {
  customerWrites,
  inviteAndJoin,
  openConversation,
  ownerConnectsPage,
  startWithEmulator,
} from './browser-flow.ts';
import { lookAtBothWidths, openTwoChromiums, PHONE, type Session, screenshot, WIDE } from './chromium.ts';

const overflows: string[] = [];

/** Screenshots at both widths, noting any sideways scrolling; back to wide afterwards. */
async function look(page: Page, name: string) {
  overflows.push(...(await lookAtBothWidths(page, `notes-${name}`)));
}

/** Polls the tab title (the app's CSP forbids evaluating strings, so no waitForFunction). */
async function titleBecomes(page: Page, title: string) {
  const deadline = Date.now() + 10_000;
  let seen = await page.title();
  while (seen !== title) {
    if (Date.now() > deadline) assert.fail(`title stayed "${seen}", expected "${title}"`);
    await page.waitForTimeout(50);
    seen = await page.title();
  }
}

describe('browser: an internal note with a mention reaches the teammate live; unread counts (Chromium)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  let owner: Session;
  let agent: Session;
  let ownerPage: Page;
  let agentPage: Page;
  let pageId: string;
  const agentEmail = uniqueEmail('agent');

  before(async () => {
    ({ h, meta } = await startWithEmulator());
    [owner, agent] = await openTwoChromiums(15_000);
    ownerPage = owner.page;
    agentPage = agent.page;
    ({ pageId } = await ownerConnectsPage(h, meta, ownerPage, {
      name: 'Olga Owner',
      organization: 'Notes Co',
    }));
  });
  after(async () => {
    await owner?.close();
    await agent?.close();
    await h.close();
  });

  it('the owner invites an agent, who joins in a second browser', async () => {
    await inviteAndJoin(ownerPage, agentPage, h.url, {
      email: agentEmail,
      name: 'Alex Agent',
      organization: 'Notes Co',
    });
  });

  it('a customer writes: the agent’s tab title counts it until the owner reads the conversation', async () => {
    await agentPage.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    await customerWrites(h, meta, {
      page_id: pageId,
      customer_id: '2400000000000401',
      customer_name: 'Rosa Díaz',
      text: 'My parcel never arrived',
    });
    await titleBecomes(agentPage, '(1) Inbox · Parley');
    await ownerPage.goto(`${h.url}/inbox`);
    await openConversation(ownerPage, /Rosa Díaz/, 'My parcel never arrived');
    await titleBecomes(agentPage, 'Inbox · Parley');
  });

  it('the owner writes a note mentioning the agent with the keyboard; the agent’s open thread shows it at once', async () => {
    await openConversation(agentPage, /Rosa Díaz/, 'My parcel never arrived');

    const noteTab = ownerPage.getByRole('tab', { name: 'Note' });
    await ownerPage.getByRole('tab', { name: 'Reply' }).focus();
    await ownerPage.keyboard.press('ArrowRight');
    assert.equal(await noteTab.getAttribute('aria-selected'), 'true');
    const box = ownerPage.getByRole('combobox', { name: 'Internal note' });
    await box.click();
    await box.pressSequentially('Courier lost it, please call her @al');
    const option = ownerPage.getByRole('listbox', { name: 'Mention a teammate' }).getByRole('option');
    await option.first().waitFor();
    assert.deepEqual(await option.allTextContents(), [`Alex Agent${agentEmail}`]);
    await look(ownerPage, 'picker');
    await ownerPage.keyboard.press('Enter');
    assert.equal(await box.inputValue(), 'Courier lost it, please call her @Alex Agent ');
    await box.pressSequentially('today');
    await ownerPage.getByRole('button', { name: 'Add note' }).click();
    await ownerPage.getByRole('log').getByText('Internal note').waitFor();

    const note = agentPage.locator('li.note');
    await note.waitFor();
    assert.equal(await note.locator('.note__label').textContent(), 'Internal note');
    assert.equal(await note.locator('.note__author').textContent(), 'Olga Owner');
    assert.equal(await note.locator('mark.note__mention').textContent(), '@Alex Agent');
    // The list still previews what the customer wrote.
    await agentPage
      .getByRole('navigation', { name: 'Conversations' })
      .getByText(/My parcel never arrived/)
      .waitFor();
    await look(agentPage, 'thread');
    await look(ownerPage, 'thread-note-mode');
    // Nothing went to the customer.
    assert.deepEqual(await meta.client.sent({ page_id: pageId }), []);
  });

  it('a mention while the agent is elsewhere shows as “@ 1”; opening it from the list reads it', async () => {
    await agentPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await agentPage.getByRole('heading', { name: 'Desktop notifications' }).waitFor();
    await look(agentPage, 'account');
    await agentPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    await agentPage.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    const box = ownerPage.getByRole('combobox', { name: 'Internal note' });
    await box.fill('@Alex Agent she called again');
    await box.press('Enter');
    const count = agentPage.getByRole('button', { name: '1 unread mention' });
    await count.waitFor();
    await count.click();
    const item = agentPage.getByRole('link', { name: /Olga Owner/ });
    await item.waitFor();
    await look(agentPage, 'mentions');
    await item.click();
    await agentPage.locator('li.note', { hasText: 'she called again' }).waitFor();
    await count.waitFor({ state: 'detached' });
    assert.deepEqual(overflows, []);
  });

  it('on a phone, reading another thread, the way back to the list carries “@ 1”', async () => {
    await customerWrites(h, meta, {
      page_id: pageId,
      customer_id: '2400000000000402',
      customer_name: 'Sam Lee',
      text: 'Do you ship to Porto?',
    });
    await agentPage.setViewportSize(PHONE);
    try {
      await agentPage.goto(`${h.url}/inbox`);
      await openConversation(agentPage, /Sam Lee/, 'Do you ship to Porto?');
      // The owner, still on Rosa's thread in Note mode, mentions the agent there.
      const box = ownerPage.getByRole('combobox', { name: 'Internal note' });
      await box.fill('@Alex Agent Rosa wants a refund');
      await box.press('Enter');
      const back = agentPage.getByRole('link', { name: 'Conversations, 1 unread mention' });
      await back.waitFor();
      assert.ok(await back.getByText('@ 1').isVisible(), 'the count shows beside the arrow');
      await screenshot(agentPage, 'notes-mention-while-reading-phone');
      await back.click();
      await agentPage.getByRole('button', { name: '1 unread mention' }).waitFor();
    } finally {
      await agentPage.setViewportSize(WIDE);
    }
  });
});

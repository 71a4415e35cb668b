// Issue 12's "Must show" in Debian's Chromium: a working day of two members in two browsers, with the
// emulator as Meta. Ana (owner) signs up, connects the one-Page persona and invites Bo (agent), who
// joins. Two customers write; Unassigned counts them. Ana opens Rosa's conversation and Bo, who has it
// open, sees "Ana is viewing", then "Ana is typing…". Ana assigns it to Bo and Bo's Mine count shows it
// live. Bo answers with a saved reply: both threads name Bo as the author, Ana's list previews "Bo: …",
// and the emulator received it. Ana adds an internal note mentioning @Bo; Bo, busy with the other
// customer, gets "@ 1", opens the note (shown as a note) and the emulator never received it. Bo resolves
// with E; it leaves Ana's Open list and shows under Resolved; Rosa writes again and it is open again.
// Ana searches a word of Bo's reply and the hit opens the thread at that message, highlighted.
// Screenshots of both screens at 1280 and 390 px in test-artifacts/team-day-*.png; none scrolls sideways.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Harness } from '../support/app-harness.ts';
import { uniqueEmail } from '../support/http-client.ts';
import type { EmulatedMeta } from '../support/meta-flow.ts';
import {
  inviteAndJoin,
  ownerConnectsPage,
  startWithEmulator,
  customerWrites as writes,
} from './browser-flow.ts';
import { lookAtBothWidths, openTwoChromiums, PHONE, type Session, WIDE } from './chromium.ts';

const ROSA = { id: '2400000000000501', name: 'Rosa Díaz' };
const TOM = { id: '2400000000000502', name: 'Tom Ito' };
const OPENING_HOURS =
  'Hi {{first_name}}, on Sundays the bakery opens at 8:00 and the croissants are out of the oven by 9.';

describe('browser: a two-agent day — assign, presence, authors, a note with a mention, resolve, search (Chromium)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  let ana: Session;
  let bo: Session;
  let anaPage: Page;
  let boPage: Page;
  let pageId = '';
  const overflows: string[] = [];
  const look = async (page: Page, name: string) => {
    overflows.push(...(await lookAtBothWidths(page, `team-day-${name}`)));
  };

  const list = (page: Page) => page.getByRole('navigation', { name: 'Conversations' });
  const views = (page: Page) => page.getByRole('group', { name: 'Assigned to' });
  /** Waits for a view's count of open conversations (the number beside "Mine" or "Unassigned"). */
  const countShows = (page: Page, view: 'Mine' | 'Unassigned', open: number) =>
    views(page)
      .getByRole('button', { name: new RegExp(`^${view}\\W+${open} open$`) })
      .waitFor();
  const statuses = (page: Page) => page.getByRole('group', { name: 'Status' });
  const presence = (page: Page) => page.locator('.thread__header .presence-line');
  const customerWrites = (customer: { id: string; name: string }, text: string) =>
    writes(h, meta, { page_id: pageId, customer_id: customer.id, customer_name: customer.name, text });
  const sentTexts = async () => (await meta.client.sent({ page_id: pageId })).map((m) => m.text);

  before(async () => {
    ({ h, meta } = await startWithEmulator());
    [ana, bo] = await openTwoChromiums();
    anaPage = ana.page;
    boPage = bo.page;
    ({ pageId } = await ownerConnectsPage(h, meta, anaPage, { name: 'Ana', organization: 'Bakery Team' }));
    await inviteAndJoin(anaPage, boPage, h.url, {
      email: uniqueEmail('bo'),
      name: 'Bo',
      organization: 'Bakery Team',
    });
    // The admin keeps the team's answers as saved replies.
    const saved = await anaPage.request.post(`${h.url}/api/saved-replies`, {
      data: { title: 'Sunday hours', text: OPENING_HOURS },
    });
    assert.equal(saved.status(), 201);
  });
  after(async () => {
    await ana?.close();
    await bo?.close();
    await h?.close();
  });

  it('two customers write; Unassigned counts both on both screens', async () => {
    await anaPage.goto(`${h.url}/inbox`);
    await boPage.goto(`${h.url}/inbox`);
    await views(boPage).waitFor();
    await customerWrites(ROSA, 'Is the shop open on Sunday morning?');
    await customerWrites(TOM, 'Can I change my delivery address?');
    for (const page of [anaPage, boPage]) {
      await countShows(page, 'Unassigned', 2);
      await countShows(page, 'Mine', 0);
      await list(page)
        .getByRole('link', { name: /Tom Ito/ })
        .waitFor();
      await list(page)
        .getByRole('link', { name: /Rosa Díaz/ })
        .waitFor();
    }
    await look(anaPage, 'ana-unassigned');
  });

  it('Bo, on Rosa’s thread, sees Ana viewing, then typing; Ana assigns it to Bo and his Mine counts it live', async () => {
    await list(boPage)
      .getByRole('link', { name: /Rosa Díaz/ })
      .click();
    await boPage.getByRole('log').getByText('Is the shop open on Sunday morning?').waitFor();
    await list(anaPage)
      .getByRole('link', { name: /Rosa Díaz/ })
      .click();
    await anaPage.getByRole('log').getByText('Is the shop open on Sunday morning?').waitFor();
    await presence(boPage).getByText('Ana is viewing').waitFor();
    await presence(anaPage).getByText('Bo is viewing').waitFor();

    const anaReply = anaPage.getByRole('combobox', { name: 'Reply' });
    await anaReply.click();
    await anaReply.pressSequentially('Yes we', { delay: 30 });
    await presence(boPage).getByText('Ana is typing…').waitFor();
    await look(boPage, 'bo-sees-ana-typing');
    // Ana leaves the answer to Bo: she clears her draft (typing over at once) and hands it over.
    await anaReply.fill('');
    await presence(boPage).getByText('Ana is viewing').waitFor({ timeout: 3_000 });
    await anaPage.getByRole('combobox', { name: 'Assignee' }).first().selectOption({ label: 'Bo' });

    await countShows(boPage, 'Mine', 1);
    await countShows(boPage, 'Unassigned', 1);
    // Bo's own header names him as the assignee, and the reply no longer says it would assign.
    assert.equal(
      await boPage
        .getByRole('combobox', { name: 'Assignee' })
        .first()
        .evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent),
      'Bo',
    );
    assert.equal(await boPage.getByText('Replying assigns this conversation to you.').count(), 0);
    await look(boPage, 'bo-assigned');
    // On a phone the reply box's hint is short enough for its two lines (the long one was cut mid-line).
    await boPage.setViewportSize(PHONE);
    await boPage
      .getByRole('combobox', { name: 'Reply' })
      .and(boPage.getByPlaceholder('Write a reply… (/ for saved replies)', { exact: true }))
      .waitFor();
    await boPage.setViewportSize(WIDE);
  });

  it('Bo answers with a saved reply; both screens name Bo as the author, Ana’s list previews “Bo: …”', async () => {
    const box = boPage.getByRole('combobox', { name: 'Reply' });
    await box.click();
    await box.pressSequentially('/sun');
    await boPage
      .getByRole('listbox', { name: 'Saved replies' })
      .getByRole('option', { name: /Sunday hours/ })
      .waitFor();
    await boPage.keyboard.press('Enter');
    const expected = OPENING_HOURS.replace('{{first_name}}', 'Rosa');
    assert.equal(await box.inputValue(), expected);
    await boPage.keyboard.press('Enter');

    for (const page of [boPage, anaPage]) {
      await page
        .locator('.bubble--outbound')
        .filter({ hasText: 'croissants are out of the oven' })
        .locator('.bubble__author', { hasText: 'Bo' })
        .waitFor();
    }
    await list(anaPage)
      .getByRole('link', { name: /Rosa Díaz/ })
      .getByText(/^Bo: Hi Rosa, on Sundays/)
      .waitFor();
    assert.deepEqual(await sentTexts(), [expected], 'the emulator received exactly Bo’s reply');
    await look(anaPage, 'ana-sees-bo-reply');
    await look(boPage, 'bo-replied');
  });

  it('Ana notes with @Bo; Bo, on another thread, gets “@ 1”, reads the note; Meta never saw it', async () => {
    await list(boPage)
      .getByRole('link', { name: /Tom Ito/ })
      .click();
    await boPage.getByRole('log').getByText('Can I change my delivery address?').waitFor();

    await anaPage.getByRole('tab', { name: 'Note' }).click();
    const note = anaPage.getByRole('combobox', { name: 'Internal note' });
    await note.click();
    await note.pressSequentially('She wants a cake for Sunday too, @B');
    await anaPage
      .getByRole('listbox', { name: 'Mention a teammate' })
      .getByRole('option', { name: /^Bo/ })
      .waitFor();
    await anaPage.keyboard.press('Enter');
    await note.pressSequentially('can you take the order?');
    assert.equal(await note.inputValue(), 'She wants a cake for Sunday too, @Bo can you take the order?');
    await anaPage.getByRole('button', { name: 'Add note' }).click();
    await anaPage.locator('li.note', { hasText: 'take the order' }).waitFor();

    const mentions = boPage.getByRole('button', { name: '1 unread mention' });
    await mentions.waitFor();
    await look(boPage, 'bo-mentioned');
    await mentions.click();
    await boPage.getByRole('link', { name: /Ana/ }).filter({ hasText: 'take the order' }).click();
    const seen = boPage.locator('li.note', { hasText: 'take the order' });
    await seen.waitFor();
    assert.equal(await seen.locator('.note__label').textContent(), 'Internal note');
    assert.equal(await seen.locator('.note__author').textContent(), 'Ana');
    assert.equal(await seen.locator('mark.note__mention').textContent(), '@Bo');
    await mentions.waitFor({ state: 'detached' });
    // A note is no message: not a bubble, and never sent to Meta.
    assert.equal(await boPage.locator('.bubble', { hasText: 'take the order' }).count(), 0);
    assert.ok(!(await sentTexts()).some((t) => t?.includes('take the order')), 'the note never reached Meta');
    assert.equal((await sentTexts()).length, 1);
    await look(boPage, 'bo-reads-note');
  });

  it('Bo resolves with E: it leaves Ana’s Open list and shows under Resolved; Rosa writes again and it reopens', async () => {
    await boPage.getByRole('heading', { name: 'Rosa Díaz', level: 2 }).click();
    await boPage.keyboard.press('e');
    await boPage.getByRole('button', { name: 'Reopen', exact: true }).waitFor();

    await list(anaPage)
      .getByRole('link', { name: /Rosa Díaz/ })
      .waitFor({ state: 'detached' });
    await anaPage.getByRole('button', { name: 'Reopen', exact: true }).waitFor();
    await statuses(anaPage).getByRole('button', { name: 'Resolved' }).click();
    const resolved = list(anaPage).getByRole('link', { name: /Rosa Díaz/ });
    await resolved.waitFor();
    assert.match((await resolved.textContent()) ?? '', /Resolved/);
    assert.equal(
      await list(anaPage)
        .getByRole('link', { name: /Tom Ito/ })
        .count(),
      0,
    );
    await look(anaPage, 'ana-resolved');

    await customerWrites(ROSA, 'Sorry, one more thing: do you have gluten-free bread?');
    await list(anaPage)
      .getByRole('link', { name: /Rosa Díaz/ })
      .waitFor({ state: 'detached' });
    await boPage.getByRole('button', { name: 'Resolve', exact: true }).waitFor();
    await statuses(anaPage).getByRole('button', { name: 'Open' }).click();
    await list(anaPage)
      .getByRole('link', { name: /Rosa Díaz/ })
      .getByText(/gluten-free bread/)
      .waitFor();
  });

  it('Ana searches a word of Bo’s reply; the hit opens the thread at that message, highlighted', async () => {
    // From the list, as on a phone, where the list and a thread are not side by side.
    await anaPage.goto(`${h.url}/inbox`);
    await anaPage.getByLabel('Search conversations').fill('CROISSANTS');
    const results = anaPage.getByRole('navigation', { name: 'Search results' });
    const hit = results.getByRole('link', { name: /Rosa Díaz/ });
    await hit.waitFor();
    assert.equal(await results.getByRole('link').count(), 1);
    assert.deepEqual(await hit.locator('mark').allTextContents(), ['croissants']);
    await look(anaPage, 'ana-search');
    await hit.click();
    const found = anaPage.locator('.bubble[data-found]');
    await found.waitFor();
    assert.match((await found.textContent()) ?? '', /croissants are out of the oven/);
    assert.equal(await found.locator('.bubble__author', { hasText: 'Bo' }).count(), 1);
    await look(anaPage, 'ana-search-hit');
  });

  it('no screen of the day scrolls sideways at 1280 or 390 px', () => {
    assert.deepEqual(overflows, []);
  });
});

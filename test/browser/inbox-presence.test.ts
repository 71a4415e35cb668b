// Issue 12 items 6 and 7 in Debian's Chromium, as two members in two browsers with the emulator as Meta:
// Bo (invited, joined through the invitation link) has a thread open; Ana opens it and Bo's header says
// "Ana is viewing", then "Ana is typing…" while she types, and nothing once she leaves. Bo's customer
// panel, beside the thread at 1280 px and a sheet behind "Details" at 390 × 844, shows the customer's
// name, channel and the assignee; nothing scrolls sideways. Screenshots in test-artifacts/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Harness } from '../support/app-harness.ts';
import { uniqueEmail } from '../support/http-client.ts';
import type { EmulatedMeta } from '../support/meta-flow.ts';
import { customerWrites, inviteAndJoin, ownerConnectsPage, startWithEmulator } from './browser-flow.ts';
import { openTwoChromiums, type Session, screenshot } from './chromium.ts';

describe('browser: presence in the thread header and the customer panel, two members (Chromium)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  let ana: Session;
  let bo: Session;
  let anaPage: Page;
  let boPage: Page;
  let conversationId = '';

  before(async () => {
    ({ h, meta } = await startWithEmulator());
    [ana, bo] = await openTwoChromiums(15_000);
    anaPage = ana.page;
    boPage = bo.page;

    const { ownerId: anaId, pageId } = await ownerConnectsPage(h, meta, anaPage, {
      name: 'Ana',
      organization: 'Presence Co',
    });
    await customerWrites(h, meta, {
      page_id: pageId,
      customer_id: '2400000000000401',
      customer_name: 'Rosa Díaz',
      text: 'Is the shop open on Sunday?',
    });
    const list = (await (await anaPage.request.get(`${h.url}/api/conversations`)).json()) as {
      conversations: Array<{ id: string }>;
    };
    conversationId = list.conversations[0]!.id;
    // Ana owns it, so the panel has an assignee to show.
    await anaPage.request.patch(`${h.url}/api/conversations/${conversationId}`, {
      data: { assignee_id: anaId },
    });

    // Bo joins through an invitation, in his own browser.
    await inviteAndJoin(anaPage, boPage, h.url, {
      email: uniqueEmail('bo'),
      name: 'Bo',
      organization: 'Presence Co',
    });
  });
  after(async () => {
    await ana?.close();
    await bo?.close();
    await h.close();
  });

  const line = (page: Page) => page.locator('.thread__header .presence-line');
  const panel = (page: Page) => page.getByRole('complementary', { name: 'Details' });
  const fits = (page: Page) =>
    page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth');

  it('Bo sees Ana viewing, then typing, then gone; never himself', async () => {
    await boPage.goto(`${h.url}/inbox/${conversationId}`);
    await boPage.getByRole('heading', { name: 'Rosa Díaz', level: 2 }).waitFor();
    await anaPage.goto(`${h.url}/inbox/${conversationId}`);
    await anaPage.getByRole('heading', { name: 'Rosa Díaz', level: 2 }).waitFor();

    await line(boPage).getByText('Ana is viewing').waitFor();
    assert.equal(await line(boPage).getAttribute('aria-live'), 'polite');
    // Ana sees Bo (who was there first, from GET), and not herself.
    await line(anaPage).getByText('Bo is viewing').waitFor();
    assert.doesNotMatch((await line(anaPage).textContent()) ?? '', /Ana/);

    await anaPage.getByLabel('Reply').pressSequentially('Yes, from 10 to 4', { delay: 20 });
    await line(boPage).getByText('Ana is typing…').waitFor();
    await screenshot(boPage, 'inbox-presence-1280');

    // Panel beside the thread at 1280 px: name, channel, assignee.
    const beside = panel(boPage);
    await beside.waitFor();
    await beside.getByText('Rosa Díaz').waitFor();
    await beside.locator('.channel-badge', { hasText: 'Messenger' }).waitFor();
    assert.equal(
      await beside
        .getByRole('combobox', { name: 'Assignee' })
        .evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent),
      'Ana',
    );
    assert.equal(await beside.getByText('Open', { exact: true }).count(), 1);
    await beside.getByText('First contact').waitFor();
    assert.ok(await fits(boPage), 'the thread and the panel fit at 1280 px');
    const box = await beside.boundingBox();
    const thread = await boPage.locator('.thread').boundingBox();
    assert.ok(box && thread && thread.x + thread.width <= box.x + 1, 'the panel stands beside the thread');

    // Hidden with Details, and back.
    await boPage.getByRole('button', { name: 'Details', exact: true }).click();
    await beside.waitFor({ state: 'detached' });
    await boPage.getByRole('button', { name: 'Details', exact: true }).click();
    await beside.waitFor();

    await anaPage.goto(`${h.url}/inbox`);
    // A function, not a string: Playwright evaluates a string predicate again on every poll, which the
    // app's CSP (no 'unsafe-eval') refuses once the first check comes back false.
    await boPage.waitForFunction(
      () => (document.querySelector('.thread__header .presence-line')?.textContent ?? 'x') === '',
    );
  });

  it('at 390 × 844 the header keeps presence on its own line and Details opens the panel as a sheet', async () => {
    await boPage.setViewportSize({ width: 390, height: 844 });
    try {
      await anaPage.goto(`${h.url}/inbox/${conversationId}`);
      await line(boPage).getByText('Ana is viewing').waitFor();
      assert.ok(await fits(boPage), 'thread fits');
      assert.equal(await panel(boPage).count(), 0, 'closed until asked for');
      await screenshot(boPage, 'inbox-presence-thread-390');
      await boPage.getByRole('button', { name: 'Details', exact: true }).click();
      await panel(boPage).getByText('Rosa Díaz').waitFor();
      await panel(boPage).locator('.channel-badge', { hasText: 'Messenger' }).waitFor();
      assert.ok(await fits(boPage), 'sheet fits');
      await screenshot(boPage, 'inbox-presence-panel-390');
      await boPage.keyboard.press('Escape');
      await panel(boPage).waitFor({ state: 'detached' });
      await boPage.goto(`${h.url}/inbox`);
      await boPage.locator('.conversation-link .avatar').first().waitFor();
      assert.ok(await fits(boPage), 'list fits');
      await screenshot(boPage, 'inbox-presence-list-390');
    } finally {
      await boPage.setViewportSize({ width: 1280, height: 860 });
    }
  });
});

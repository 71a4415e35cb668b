// The connection flow as a person does it, in Debian's Chromium: sign up, Settings → Integrations →
// Connect with Facebook, the emulator's consent page, and back — for 1, 3 and 0 Pages — then
// Disconnect. Screenshots of the picker and the connected card go to test-artifacts/.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type Harness, startHarness } from '../support/app-harness.ts';
import { uniqueEmail } from '../support/http-client.ts';
import { type EmulatedMeta, emulated, emulatorFor } from '../support/meta-flow.ts';
import { openChromium, type Session, screenshot } from './chromium.ts';

describe('browser: connect a Page (Chromium)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  let chrome: Session;
  let page: Page;

  before(async () => {
    h = await startHarness({ db: 'sqlite', meta: emulatorFor, realClock: true });
    meta = emulated(h.meta);
  });
  after(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await meta.client.reset();
    await h.testDb.database.db.deleteFrom('organization_meta_settings').execute();
  });

  async function signUp(org: string) {
    chrome = await openChromium();
    page = chrome.page;
    page.setDefaultTimeout(10_000);
    await page.goto(`${h.url}/signup`);
    await page.getByLabel('Email').fill(uniqueEmail('browser'));
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByLabel('Organization name').fill(org);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  }

  async function connectAs(persona: string) {
    await page.goto(`${h.url}/settings/tab/integrations`);
    await page.getByRole('button', { name: 'Connect with Facebook' }).click();
    await page.waitForURL((u) => u.href.startsWith(meta.url));
    await page.locator(`input[name="persona"][value="${persona}"]`).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((u) => u.href.startsWith(h.url));
  }

  it('signing up lands on the app frame', async () => {
    await signUp('Frame Co');
    try {
      assert.ok(await page.getByText('Frame Co').first().isVisible());
      const nav = page.getByRole('navigation', { name: 'Main' });
      assert.ok(await nav.getByRole('link', { name: 'Inbox' }).isVisible());
      assert.ok(await nav.getByRole('link', { name: 'Settings' }).isVisible());
    } finally {
      await chrome.close();
    }
  });

  it('1 Page: connected card, then Disconnect', async () => {
    await signUp('One Page Co');
    try {
      await connectAs('one');
      const card = page.getByTestId('meta-card');
      await card.getByRole('heading', { name: "Olivia's Bakery" }).waitFor();
      assert.ok(await card.getByText('@olivias.bakery').isVisible());
      await card
        .getByText(/active/i)
        .first()
        .waitFor();
      assert.equal(new URL(page.url()).search, '', 'no code or state left in the address bar');
      await screenshot(page, 'connected-card');
      await card.getByRole('button', { name: 'Disconnect' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Disconnect' }).click();
      await card.getByRole('button', { name: 'Connect with Facebook' }).waitFor();
      const rows = await h.testDb.database.db.selectFrom('organization_meta_settings').selectAll().execute();
      assert.equal(rows.length, 0);
    } finally {
      await chrome.close();
    }
  });

  it('3 Pages: the picker, choose one, connected card', async () => {
    await signUp('Three Pages Co');
    try {
      await connectAs('three');
      assert.match(page.url(), /meta_select_page=true/);
      const radios = page.getByRole('radio');
      await radios.first().waitFor();
      assert.equal(await radios.count(), 3);
      assert.ok(await page.getByText('No Instagram account').isVisible());
      assert.ok(await page.getByText('@theos.coffee').isVisible());
      await screenshot(page, 'page-picker');
      await page.getByRole('radio', { name: /Theo's Coffee/ }).check();
      await page.getByRole('button', { name: 'Save' }).click();
      const card = page.getByTestId('meta-card');
      await card.getByRole('heading', { name: "Theo's Coffee" }).waitFor();
      assert.ok(await card.getByText('@theos.coffee').isVisible());
      const row = await h.testDb.database.db
        .selectFrom('organization_meta_settings')
        .selectAll()
        .executeTakeFirst();
      assert.equal(row?.facebook_page_name, "Theo's Coffee");
    } finally {
      await chrome.close();
    }
  });

  it('0 Pages: an error banner with the next step', async () => {
    await signUp('No Pages Co');
    try {
      await connectAs('none');
      const banner = page.getByTestId('meta-error');
      await banner.waitFor();
      assert.match((await banner.textContent()) ?? '', /Page/i);
      await screenshot(page, 'no-pages-error');
      assert.ok(await page.getByRole('button', { name: 'Connect with Facebook' }).isVisible());
    } finally {
      await chrome.close();
    }
  });
});

// Issue 6 in a real browser: Meta revokes the Page token; "Check now" flips the connection to
// reauth_required; the card, the banner on every page and the composer say so; Reconnect restores it
// with the conversation history intact. A reply typed before the revoke waits as a draft through the
// Settings pages and reloads (drafts.ts), and goes out once the Page is reconnected. Then Meta's
// deauthorize callback, with the thread open and nothing clicked: the banner and the disabled composer
// come at once, from the `connection.updated` live event (no reload, no window focus).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from '../support/app-harness.ts';
import { uniqueEmail } from '../support/http-client.ts';
import { type EmulatedMeta, emulated, emulatorFor } from '../support/meta-flow.ts';
import { openChromium, type Session, screenshot } from './chromium.ts';

describe('browser: a revoked token is noticed, explained and repaired (Chromium)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  let chrome: Session;

  before(async () => {
    h = await startHarness({ db: 'sqlite', meta: emulatorFor, realClock: true });
    meta = emulated(h.meta);
    chrome = await openChromium();
  });
  after(async () => {
    await chrome?.close();
    await h.close();
  });

  it('revoke → Check now → card, banner and composer explain → Reconnect → active, history kept', async () => {
    const page = chrome.page;
    page.setDefaultTimeout(10_000);
    await page.goto(`${h.url}/signup`);
    await page.getByLabel('Email').fill(uniqueEmail('owner'));
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByLabel('Organization name').fill('Health Co');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    const connectVia = async (button: string) => {
      await page.getByRole('button', { name: button }).first().click();
      await page.waitForURL((u) => u.href.startsWith(meta.url));
      await page.locator('input[name="persona"][value="one"]').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL((u) => u.href.startsWith(h.url));
    };
    await page.goto(`${h.url}/settings/tab/integrations`);
    await connectVia('Connect with Facebook');
    const card = page.getByTestId('meta-card');
    await card.getByRole('heading', { name: "Olivia's Bakery" }).waitFor();

    const status = (await (await page.request.get(`${h.url}/api/integrations/meta`)).json()) as {
      connection: { facebook_page_id: string };
    };
    const pageId = status.connection.facebook_page_id;
    await meta.client.inbound({ page_id: pageId, customer_name: 'Kept Customer', text: 'still here?' });
    const countConversations = async () =>
      (await h.testDb.database.db.selectFrom('conversations').select('id').execute()).length;
    for (let i = 0; i < 50 && (await countConversations()) === 0; i++) await page.waitForTimeout(100);
    assert.equal(await countConversations(), 1);

    const draft = 'Sorry for the wait, checking now';
    await page.goto(`${h.url}/inbox`);
    await page.getByRole('link', { name: /Kept Customer/ }).click();
    await page.getByLabel('Reply').fill(draft);
    await page.goto(`${h.url}/settings/tab/integrations`);

    await meta.client.revoke({ page_id: pageId, subcode: 460 });
    await card.getByRole('button', { name: 'Check now' }).click();
    await card
      .getByTestId('meta-status-reason')
      .getByText(/no longer valid/)
      .waitFor();
    await screenshot(page, 'health-reauth-card');

    await page.goto(`${h.url}/inbox`);
    const banner = page.getByRole('region', { name: 'Meta connection problem' });
    await banner.waitFor();
    await page.getByRole('link', { name: /Kept Customer/ }).click();
    const reply = page.getByLabel('Reply');
    await reply.waitFor();
    // The thread asks for the connection's state on its own: until that answer the composer may show
    // enabled for a moment (a CI run read it then), so wait for the answer before judging.
    await reply
      .and(page.locator(':disabled'))
      .waitFor({ timeout: 5_000 })
      .catch(() => {});
    assert.equal(await reply.isDisabled(), true, 'the composer is disabled');
    assert.equal(await reply.inputValue(), draft, 'the draft waits in the box');
    assert.match((await page.locator('body').textContent()) ?? '', /reconnect in Settings/i);
    await screenshot(page, 'health-reauth-inbox');

    await page.goto(`${h.url}/settings/tab/integrations`);
    await connectVia('Reconnect');
    await card
      .getByText(/active/i)
      .first()
      .waitFor();
    await page.goto(`${h.url}/inbox`);
    await page.getByRole('link', { name: /Kept Customer/ }).click();
    assert.equal(
      await page.getByRole('region', { name: 'Meta connection problem' }).count(),
      0,
      'the banner is gone',
    );
    assert.equal(await countConversations(), 1, 'the conversation count is unchanged');
    assert.equal(await reply.inputValue(), draft, 'the draft is back after the reconnect');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page
      .getByRole('log')
      .getByRole('listitem')
      .filter({ hasText: draft })
      .getByRole('img', { name: 'Sent' })
      .waitFor();
    assert.equal(await reply.inputValue(), '', 'sent: the box is empty');
    await page.reload();
    await page.getByRole('log').getByText(draft).waitFor();
    assert.equal(await page.getByLabel('Reply').inputValue(), '', 'and no draft is left behind');

    const { connected_by_fb_user_id } = await h.testDb.database.db
      .selectFrom('organization_meta_settings')
      .select('connected_by_fb_user_id')
      .executeTakeFirstOrThrow();
    const sent = await meta.client.deauthorize({
      user_id: connected_by_fb_user_id!,
      url: `${h.url}/integrations/meta-messaging/deauthorize`,
    });
    assert.equal(sent.status, 200);
    await page.getByRole('region', { name: 'Meta connection problem' }).waitFor({ timeout: 5_000 });
    await page.getByLabel('Reply').and(page.locator(':disabled')).waitFor({ timeout: 5_000 });
    await screenshot(page, 'health-deauthorized-live');
  });
});

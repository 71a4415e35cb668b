// Issue 14 in Debian's Chromium, as two people in two browsers: the owner invites an agent from
// Settings → Members (no SMTP, so the link is copied from the page); the agent opens it, chooses a name
// and password and lands in the inbox; turns on two-factor on the Account page (the key read from the
// page, the code computed with otpauth like an authenticator app); logs out and back in with password and
// code; then, with the agent's inbox open, the owner removes them and the agent's tab shows the login
// page at once. Every new screen is looked at 1280 px and 390 px wide (screenshots in test-artifacts/,
// and no horizontal scrolling on a phone). The app runs on a test clock so codes are deterministic.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { type Harness, startHarness } from '../support/app-harness.ts';
import { uniqueEmail } from '../support/http-client.ts';
import { openChromium, type Session, screenshot } from './chromium.ts';

const WIDE = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };
const AGENT_NAME = 'Alex Agent';
const AGENT_PASSWORD = 'plum orchard lantern';

/** Screens that scrolled sideways or sat off centre, checked at the end so one run shows every screen. */
const overflows: string[] = [];

/** Screenshots the page at both widths and notes whether either scrolls sideways. */
async function look(page: Page, name: string) {
  for (const [size, viewport] of [
    ['wide', WIDE],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(100);
    await screenshot(page, `team-${name}-${size}`);
    // The signed-out card sits in the middle (a long hint once pushed it to the left).
    const offCentre = await page.evaluate(() => {
      const card = document.querySelector('.auth__card')?.getBoundingClientRect();
      return card ? Math.abs(card.left + card.width / 2 - window.innerWidth / 2) : 0;
    });
    if (offCentre > 2) overflows.push(`${name} at ${viewport.width} px: card ${offCentre} px off centre`);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    if (scrollWidth > viewport.width) {
      // Name the outermost culprits, so the message says what to fix.
      const wide = await page.evaluate((width) => {
        const over = [...document.body.querySelectorAll('*')].filter(
          (e) => e.getBoundingClientRect().right > width,
        );
        return over
          .filter((e) => !over.some((o) => o !== e && o.contains(e)))
          .slice(0, 3)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
      }, viewport.width);
      overflows.push(`${name} at ${viewport.width} px is ${scrollWidth} px wide: ${wide.join(', ')}`);
    }
  }
  await page.setViewportSize(WIDE);
}

describe('browser: invite, two-factor and removal (Chromium)', () => {
  let h: Harness;
  let owner: Session;
  let agent: Session;
  let ownerPage: Page;
  let agentPage: Page;
  const agentEmail = uniqueEmail('agent');
  let inviteUrl = '';
  let totpKey = '';

  const codeAt = (timestamp: number) =>
    new TOTP({ secret: Secret.fromBase32(totpKey), period: 30 }).generate({ timestamp });

  before(async () => {
    h = await startHarness({ db: 'sqlite' });
    owner = await openChromium();
    agent = await openChromium();
    ownerPage = owner.page;
    agentPage = agent.page;
    ownerPage.setDefaultTimeout(10_000);
    agentPage.setDefaultTimeout(10_000);
    await ownerPage.goto(`${h.url}/signup`);
    await ownerPage.getByLabel('Email').fill(uniqueEmail('owner'));
    await ownerPage.getByLabel('Password').fill('correct horse battery');
    await ownerPage.getByLabel('Organization name').fill('Team Co');
    await ownerPage.getByRole('button', { name: 'Create organization' }).click();
    await ownerPage.getByRole('navigation', { name: 'Main' }).waitFor();
  });
  after(async () => {
    await owner?.close();
    await agent?.close();
    await h.close();
  });

  it('the owner invites an agent from Members and gets a link to copy', async () => {
    await ownerPage.goto(`${h.url}/settings/tab/members`);
    const form = ownerPage.getByRole('region', { name: 'Invite a teammate' });
    await form.getByRole('button', { name: 'Create invitation' }).click();
    await form.getByText('Enter your teammate’s email address.').waitFor();
    await look(ownerPage, 'invite-error');
    await form.getByLabel('Teammate’s email').fill(agentEmail);
    await form.getByLabel('Role').selectOption('agent');
    await form.getByRole('button', { name: 'Create invitation' }).click();
    const link = form.getByLabel('Invitation link');
    await link.waitFor();
    inviteUrl = await link.inputValue();
    assert.match(inviteUrl, new RegExp(`^${h.url}/invite/`));
    await ownerPage.getByRole('region', { name: 'Pending invitations' }).getByText(agentEmail).waitFor();
    await look(ownerPage, 'members-invited');
  });

  it('signed-out screens: forgot password (no mail set up) and an unknown invitation', async () => {
    await agentPage.goto(`${h.url}/login`);
    await agentPage.getByRole('heading', { name: 'Log in to Parley' }).waitFor();
    await agentPage.getByRole('link', { name: 'Forgot password?' }).click();
    await agentPage.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await agentPage.getByLabel('Email').fill(agentEmail);
    await agentPage.getByRole('button', { name: 'Send reset link' }).click();
    await agentPage.getByRole('alert').waitFor();
    await look(agentPage, 'forgot-password');
    await agentPage.goto(`${h.url}/invite/not-a-real-token`);
    await agentPage.getByRole('alert').waitFor();
    await look(agentPage, 'invite-unknown');
  });

  it('the agent accepts in another browser and lands in the inbox', async () => {
    await agentPage.goto(inviteUrl);
    await agentPage.getByRole('heading', { name: 'Join Team Co' }).waitFor();
    await agentPage.getByText(agentEmail).waitFor();
    await agentPage.getByRole('button', { name: 'Join Team Co' }).click();
    await agentPage.getByText('Enter the name your teammates will see.').waitFor();
    await look(agentPage, 'invite-accept');
    await agentPage.getByLabel('Your name').fill(AGENT_NAME);
    await agentPage.getByLabel('Password').fill(AGENT_PASSWORD);
    await agentPage.getByRole('button', { name: 'Join Team Co' }).click();
    await agentPage.waitForURL((u) => u.pathname.startsWith('/inbox'));
    await agentPage.getByRole('navigation', { name: 'Main' }).waitFor();
    assert.ok(await agentPage.getByText(AGENT_NAME).first().isVisible());
  });

  it('the agent turns on two-factor on the Account page and sees 10 recovery codes', async () => {
    await agentPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await agentPage.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await agentPage.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const key = agentPage.getByTestId('totp-secret');
    await key.waitFor();
    await agentPage.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    totpKey = ((await key.textContent()) ?? '').replace(/\s+/g, '');
    assert.match(totpKey, /^[A-Z2-7]{32}$/);
    await agentPage.getByRole('button', { name: 'Turn on' }).click();
    await agentPage.getByText('Enter the 6-digit code from your app.').waitFor();
    await look(agentPage, 'account-two-factor-setup');
    await agentPage.getByLabel('Code from the app').fill(codeAt(h.clock.now()));
    await agentPage.getByRole('button', { name: 'Turn on' }).click();
    const codes = agentPage.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await codes.first().waitFor();
    assert.equal(await codes.count(), 10);
    await look(agentPage, 'account-recovery-codes');
  });

  it('the agent logs out and signs in again with password and code', async () => {
    await agentPage.getByRole('button', { name: 'Log out' }).click();
    await agentPage.getByRole('heading', { name: 'Log in to Parley' }).waitFor();
    await agentPage.getByLabel('Email').fill(agentEmail);
    await agentPage.getByLabel('Password').fill(AGENT_PASSWORD);
    await agentPage.getByRole('button', { name: 'Log in' }).click();
    await agentPage.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    await agentPage.getByLabel('Authentication code').fill('000000');
    await agentPage.getByRole('button', { name: 'Verify' }).click();
    await agentPage.locator('.field__error, .inline-error').first().waitFor();
    await look(agentPage, 'login-code-step');
    // The code used to turn it on cannot be replayed: the app's clock moves on one step.
    h.clock.advance(30_000);
    await agentPage.getByLabel('Authentication code').fill(codeAt(h.clock.now()));
    await agentPage.getByRole('button', { name: 'Verify' }).click();
    await agentPage.waitForURL((u) => u.pathname.startsWith('/inbox'));
    await agentPage.getByRole('navigation', { name: 'Main' }).waitFor();
  });

  it('the Account page lists sessions; a reset link issued by the owner opens its page', async () => {
    await agentPage.goto(`${h.url}/account`);
    await agentPage
      .getByRole('region', { name: 'Where you are signed in' })
      .getByText('(this browser)')
      .waitFor();
    await look(agentPage, 'account');

    await ownerPage.reload();
    const row = ownerPage.getByRole('listitem').filter({ hasText: AGENT_NAME });
    await row.getByRole('button', { name: 'Password reset link' }).click();
    const resetUrl = await row.getByLabel(`Reset link for ${AGENT_NAME}`).inputValue();
    await row.getByRole('button', { name: 'Remove', exact: true }).click();
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.getByRole('button', { name: 'Remove', exact: true }).click();
    await row.getByRole('button', { name: `Yes, remove ${AGENT_NAME}` }).waitFor();
    await look(ownerPage, 'members-reset-and-remove-confirm');

    const tab = await agent.context.newPage();
    try {
      await tab.goto(resetUrl);
      await tab.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await tab.getByRole('textbox', { name: 'New password' }).fill('short');
      await tab.getByRole('button', { name: /password/i }).click();
      await look(tab, 'reset-password');
    } finally {
      await tab.close();
    }
  });

  it('removing the agent signs their open inbox tab out at once', async () => {
    await agentPage.goto(`${h.url}/inbox`);
    await agentPage.getByRole('heading', { name: 'Inbox' }).first().waitFor();
    await agentPage.waitForTimeout(500); // let the live stream open
    const row = ownerPage.getByRole('listitem').filter({ hasText: AGENT_NAME });
    const started = Date.now();
    await row.getByRole('button', { name: `Yes, remove ${AGENT_NAME}` }).click();
    await agentPage.getByRole('heading', { name: 'Log in to Parley' }).waitFor({ timeout: 5_000 });
    const elapsed = Date.now() - started;
    console.log(`# the agent's tab showed the login ${elapsed} ms after the owner clicked Remove`);
    assert.ok(elapsed < 2_000, `signed out after ${elapsed} ms`);
    await screenshot(agentPage, 'team-agent-signed-out');
    await ownerPage.getByRole('listitem').filter({ hasText: AGENT_NAME }).waitFor({ state: 'detached' });
    await screenshot(ownerPage, 'team-members-after-removal');
  });

  it('when the organization requires two-factor, a new member is held at its setup until it is on', async () => {
    // The owner turns it on for themselves and requires it (through the API with the owner's cookie).
    const api = ownerPage.request;
    const setup = (await (await api.post(`${h.url}/api/auth/two-factor/setup`, { data: {} })).json()) as {
      secret: string;
    };
    const code = new TOTP({ secret: Secret.fromBase32(setup.secret), period: 30 }).generate({
      timestamp: h.clock.now(),
    });
    assert.equal((await api.post(`${h.url}/api/auth/two-factor/enable`, { data: { code } })).status(), 200);
    assert.equal(
      (await api.patch(`${h.url}/api/organization`, { data: { require_two_factor: true } })).status(),
      200,
    );
    const invited = (await (
      await api.post(`${h.url}/api/organization/invitations`, {
        data: { email: uniqueEmail('second'), role: 'agent' },
      })
    ).json()) as { invitation: { url: string } };

    await agentPage.goto(invited.invitation.url);
    await agentPage.getByLabel('Your name').fill('Sam Second');
    await agentPage.getByLabel('Password').fill(AGENT_PASSWORD);
    await agentPage.getByRole('button', { name: 'Join Team Co' }).click();
    await agentPage.getByRole('heading', { name: 'Turn on two-factor sign-in' }).waitFor();
    assert.equal(await agentPage.getByRole('navigation', { name: 'Main' }).count(), 0, 'no way around it');
    await agentPage.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const key = agentPage.getByTestId('totp-secret');
    await key.waitFor();
    await look(agentPage, 'two-factor-required');
    totpKey = ((await key.textContent()) ?? '').replace(/\s+/g, '');
    await agentPage.getByLabel('Code from the app').fill(codeAt(h.clock.now()));
    await agentPage.getByRole('button', { name: 'Turn on' }).click();
    await agentPage.getByRole('list', { name: 'Recovery codes' }).waitFor();
    await look(agentPage, 'two-factor-required-codes');
    assert.equal(await agentPage.getByRole('button', { name: 'Set up two-factor sign-in' }).count(), 0);
    await agentPage.getByRole('button', { name: 'I saved them, continue to Parley' }).click();
    await agentPage.getByRole('navigation', { name: 'Main' }).waitFor();
    await agentPage.getByRole('heading', { name: 'Inbox' }).first().waitFor();
  });

  it('no screen scrolls sideways (or sits off centre) at 390 px or 1280 px', () => {
    assert.deepEqual(overflows, []);
  });
});

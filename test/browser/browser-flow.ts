// The steps most browser tests begin with, as a person does them: sign up through the form, then
// connect the emulator's one-Page persona (Olivia's Bakery) from Settings → Integrations; a customer
// writes through the emulator; a member opens that conversation from the list.
import type { Page } from 'playwright-core';
import { type Harness, startHarness } from '../support/app-harness.ts';
import { uniqueEmail } from '../support/http-client.ts';
import { type EmulatedMeta, emulated, emulatorFor } from '../support/meta-flow.ts';

export async function signUpInBrowser(page: Page, appUrl: string, organization: string, who = 'agent') {
  await page.goto(`${appUrl}/signup`);
  await page.getByLabel('Email').fill(uniqueEmail(who));
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByLabel('Organization name').fill(organization);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

export async function connectOnePage(page: Page, appUrl: string, metaUrl: string) {
  await page.goto(`${appUrl}/settings/tab/integrations`);
  await page.getByRole('button', { name: 'Connect with Facebook' }).click();
  await page.waitForURL((u) => u.href.startsWith(metaUrl));
  await page.locator('input[name="persona"][value="one"]').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByTestId('meta-card').getByRole('heading', { name: "Olivia's Bakery" }).waitFor();
}

/** The app on SQLite with the emulator as Meta, on the real clock (the emulator checks times too). */
export async function startWithEmulator(): Promise<{ h: Harness; meta: EmulatedMeta }> {
  const h = await startHarness({ db: 'sqlite', realClock: true, meta: emulatorFor });
  return { h, meta: emulated(h.meta) };
}

/** The connected Page's id, as the signed-in browser's API sees it. */
export async function connectedPageId(page: Page, appUrl: string): Promise<string> {
  const status = await page.request.get(`${appUrl}/api/integrations/meta`);
  return ((await status.json()) as { connection: { facebook_page_id: string } }).connection.facebook_page_id;
}

/** Gives the signed-in member a display name (sign-up asks for none); returns their user id. */
export async function nameMember(h: Harness, page: Page, name: string): Promise<string> {
  const me = await page.request.get(`${h.url}/api/auth/me`);
  const id = ((await me.json()) as { user: { id: string } }).user.id;
  await h.testDb.database.db.updateTable('users').set({ name }).where('id', '=', id).execute();
  return id;
}

/**
 * The owner invites a teammate from Settings → Members (no SMTP, so the link is copied from the page);
 * the teammate opens it in their own browser, picks a name and password and lands in the inbox.
 */
export async function inviteAndJoin(
  ownerPage: Page,
  memberPage: Page,
  appUrl: string,
  member: { email: string; name: string; organization: string; role?: 'agent' | 'admin' },
) {
  await ownerPage.goto(`${appUrl}/settings/tab/members`);
  const form = ownerPage.getByRole('region', { name: 'Invite a teammate' });
  await form.getByLabel('Teammate’s email').fill(member.email);
  await form.getByLabel('Role').selectOption(member.role ?? 'agent');
  await form.getByRole('button', { name: 'Create invitation' }).click();
  const link = form.getByLabel('Invitation link');
  await link.waitFor();
  await memberPage.goto(await link.inputValue());
  await memberPage.getByLabel('Your name').fill(member.name);
  await memberPage.getByLabel('Password').fill('plum orchard lantern');
  await memberPage.getByRole('button', { name: `Join ${member.organization}` }).click();
  await memberPage.waitForURL((u) => u.pathname.startsWith('/inbox'));
}

/**
 * The start of most two-person tests: the owner signs up, takes a display name and connects the
 * one-Page persona. Returns the owner's user id and the connected Page's id.
 */
export async function ownerConnectsPage(
  h: Harness,
  meta: EmulatedMeta,
  page: Page,
  owner: { name: string; organization: string },
): Promise<{ ownerId: string; pageId: string }> {
  await signUpInBrowser(page, h.url, owner.organization, 'owner');
  const ownerId = await nameMember(h, page, owner.name);
  await connectOnePage(page, h.url, meta.url);
  await page.getByRole('link', { name: 'Open the inbox' }).waitFor();
  return { ownerId, pageId: await connectedPageId(page, h.url) };
}

/** A customer writes to the Page through the emulator (Meta's webhook), and the app processes it. */
export async function customerWrites(
  h: Harness,
  meta: EmulatedMeta,
  message: { page_id: string; customer_id: string; customer_name: string; text: string },
) {
  await meta.client.inbound(message);
  await h.features.inbox.processor.drain();
}

/** Opens a conversation from the list by its customer's name, and waits until `shows` is in the thread. */
export async function openConversation(page: Page, customer: RegExp, shows: string) {
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: customer }).click();
  await page.getByRole('log').getByText(shows).waitFor();
}

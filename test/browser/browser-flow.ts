// The steps most browser tests begin with, as a person does them: sign up through the form, then
// connect the emulator's one-Page persona (Olivia's Bakery) from Settings → Integrations.
import type { Page } from 'playwright-core';
import { uniqueEmail } from '../support/http-client.ts';

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

// Debian's Chromium driven by playwright-core (never a downloaded browser). Each test gets a fresh
// profile; screenshots go to test-artifacts/ for people to look at.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const ARTIFACTS = 'test-artifacts';

export interface Session {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openChromium(): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), 'parley-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1280, height: 860 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export const WIDE = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

/**
 * Screenshots `<name>-wide` and `<name>-phone` (1280 and 390 px), back to 1280 afterwards. Returns
 * what scrolled sideways, naming the outermost elements that stick out, for one assertion at the end.
 */
export async function lookAtBothWidths(page: Page, name: string): Promise<string[]> {
  const overflows: string[] = [];
  for (const [size, viewport] of [
    ['wide', WIDE],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150); // one layout after the resize
    await screenshot(page, `${name}-${size}`);
    // A string, not a function: tsx would wrap inner arrows in a __name() the page does not have.
    const wide = await page.evaluate<string[]>(`(() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= width) return [];
      const over = [...document.body.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > width + 0.5);
      const outer = over.filter((e) => !over.some((o) => o !== e && o.contains(e))).slice(0, 3);
      return ['scrollWidth ' + document.documentElement.scrollWidth]
        .concat(outer.map((e) => e.tagName.toLowerCase() + '.' + e.className));
    })()`);
    if (wide.length > 0) overflows.push(`${name} at ${viewport.width} px: ${wide.join(', ')}`);
  }
  await page.setViewportSize(WIDE);
  return overflows;
}

/** Two people's browsers side by side (two profiles, so two sessions), each waiting up to `timeoutMs`. */
export async function openTwoChromiums(timeoutMs = 10_000): Promise<[Session, Session]> {
  const first = await openChromium();
  const second = await openChromium().catch(async (err) => {
    await first.close();
    throw err;
  });
  first.page.setDefaultTimeout(timeoutMs);
  second.page.setDefaultTimeout(timeoutMs);
  return [first, second];
}

// Rate-limit usage headers (reference §12). The percentages are a rough model — calls in the window
// against Meta's published formulas — enough for an app to parse and display them, and to watch them grow.
// A test can pin them (POST /_emulator/usage): the app's X-App-Usage, or one Page's BUC entry, at a
// percentage and an estimated_time_to_regain_access, to see how the app throttles itself.
import type { EmulatorContext } from './context.ts';
import type { EndpointName } from './endpoints.ts';

export interface UsageOverride {
  percent: number;
  /** Minutes, as Meta reports estimated_time_to_regain_access. */
  regainMinutes: number;
}

/** Pinned usage: `app` for X-App-Usage, and per Page id for X-Business-Use-Case-Usage. */
export class UsageOverrides {
  app: UsageOverride | null = null;
  readonly pages = new Map<string, UsageOverride>();

  clear(): void {
    this.app = null;
    this.pages.clear();
  }
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const percent = (used: number, limit: number) => Math.min(100, Math.floor((used * 100) / Math.max(1, limit)));

export function appUsage(ctx: EmulatorContext): string {
  const pinned = ctx.usage.app;
  if (pinned) {
    const p = pinned.percent;
    return JSON.stringify({ call_count: p, total_cputime: p, total_time: p });
  }
  // Platform rate limit: 200 calls per hour per user of the app.
  const callCount = percent(
    ctx.calls.countSince(ctx.clock.now() - HOUR),
    200 * Math.max(1, ctx.world.grants.size),
  );
  return JSON.stringify({
    call_count: callCount,
    total_cputime: Math.floor(callCount / 4),
    total_time: Math.floor(callCount / 3),
  });
}

export function businessUseCaseUsage(ctx: EmulatorContext, pageId: string, endpoint: EndpointName): string {
  // Messenger BUC: 200 calls per 24 hours per engaged user of the Page.
  let engaged = 0;
  for (const c of ctx.world.customers.values()) if (c.pageId === pageId) engaged++;
  const pinned = ctx.usage.pages.get(pageId);
  const callCount =
    pinned?.percent ??
    percent(ctx.calls.countSince(ctx.clock.now() - DAY, pageId), 200 * Math.max(1, engaged));
  return JSON.stringify({
    [pageId]: [
      {
        type: endpoint === 'send' ? 'messenger' : 'pages',
        call_count: callCount,
        total_cputime: Math.floor(callCount / 4),
        total_time: Math.floor(callCount / 3),
        estimated_time_to_regain_access: pinned?.regainMinutes ?? 0,
      },
    ],
  });
}

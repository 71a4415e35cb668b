// Rate-limit usage headers (reference §12). The percentages are a rough model — calls in the window
// against Meta's published formulas — enough for an app to parse and display them, and to watch them grow.
import type { EmulatorContext } from './context.ts';
import type { EndpointName } from './endpoints.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const percent = (used: number, limit: number) => Math.min(100, Math.floor((used * 100) / Math.max(1, limit)));

export function appUsage(ctx: EmulatorContext): string {
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
  const callCount = percent(ctx.calls.countSince(ctx.clock.now() - DAY, pageId), 200 * Math.max(1, engaged));
  return JSON.stringify({
    [pageId]: [
      {
        type: endpoint === 'send' ? 'messenger' : 'pages',
        call_count: callCount,
        total_cputime: Math.floor(callCount / 4),
        total_time: Math.floor(callCount / 3),
        estimated_time_to_regain_access: 0,
      },
    ],
  });
}

// Meta's rate-limit usage headers (reference §12): X-App-Usage {call_count,total_cputime,total_time}
// and X-Business-Use-Case-Usage {<object id>: [{type, call_count, …, estimated_time_to_regain_access}]},
// percentages of the limit, throttled at 100. The Graph client slows down before the limit instead of
// running into code 4/613/80001 errors (R29). The two headers have different scopes: X-App-Usage is the
// whole app's budget, while a BUC entry is one business object's (a Page) — so they are kept apart,
// and one busy Page does not slow the calls of every other tenant.

export interface Usage {
  /** The highest percentage of any limit in the entry (0–100+). */
  maxPercent: number;
  /** Meta's estimate, in ms, until a throttled business use case may call again. */
  regainMs: number;
}

export interface UsageReport {
  /** From X-App-Usage: concerns every call of this app. */
  app: Usage | null;
  /** From X-Business-Use-Case-Usage, by business object id (the Page id for Pages and Messenger). */
  objects: Map<string, Usage>;
}

const percents = (o: Record<string, unknown>) =>
  ['call_count', 'total_cputime', 'total_time'].map((k) => (typeof o[k] === 'number' ? (o[k] as number) : 0));

export function parseUsage(headers: Headers): UsageReport | null {
  const app = headers.get('x-app-usage');
  const buc = headers.get('x-business-use-case-usage');
  if (!app && !buc) return null;
  const report: UsageReport = { app: null, objects: new Map() };
  try {
    if (app) {
      report.app = {
        maxPercent: Math.max(0, ...percents(JSON.parse(app) as Record<string, unknown>)),
        regainMs: 0,
      };
    }
    if (buc) {
      const parsed = JSON.parse(buc) as Record<string, unknown>;
      for (const [objectId, entries] of Object.entries(parsed)) {
        if (!Array.isArray(entries)) continue;
        const usage: Usage = { maxPercent: 0, regainMs: 0 };
        for (const e of entries as Array<Record<string, unknown>>) {
          usage.maxPercent = Math.max(usage.maxPercent, ...percents(e));
          const minutes = e.estimated_time_to_regain_access;
          if (typeof minutes === 'number') usage.regainMs = Math.max(usage.regainMs, minutes * 60_000);
        }
        report.objects.set(objectId, usage);
      }
    }
  } catch {
    return null; // A malformed header is no reason to fail the call it came with.
  }
  return report;
}

/** How long to wait before the next call: nothing below 90%, then up to `capMs` as usage nears 100%. */
export function pauseFor(usage: Usage, capMs: number): number {
  if (usage.regainMs > 0) return Math.min(usage.regainMs, capMs);
  if (usage.maxPercent < 90) return 0;
  return Math.min(capMs, Math.round(((usage.maxPercent - 90) / 10) * capMs));
}

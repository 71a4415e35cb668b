// Meta's rate-limit usage headers (reference §12): X-App-Usage {call_count,total_cputime,total_time}
// and X-Business-Use-Case-Usage {<object id>: [{type, call_count, …, estimated_time_to_regain_access}]},
// percentages of the limit, throttled at 100. The Graph client slows down before the limit instead of
// running into code 4/613 errors (R29).

export interface Usage {
  /** The highest percentage of any limit in the headers (0–100+). */
  maxPercent: number;
  /** Meta's estimate, in ms, until a throttled business use case may call again. */
  regainMs: number;
}

export function parseUsage(headers: Headers): Usage | null {
  const app = headers.get('x-app-usage');
  const buc = headers.get('x-business-use-case-usage');
  if (!app && !buc) return null;
  let maxPercent = 0;
  let regainMs = 0;
  const percents = (o: Record<string, unknown>) =>
    ['call_count', 'total_cputime', 'total_time'].map((k) =>
      typeof o[k] === 'number' ? (o[k] as number) : 0,
    );
  try {
    if (app) maxPercent = Math.max(maxPercent, ...percents(JSON.parse(app) as Record<string, unknown>));
    if (buc) {
      const parsed = JSON.parse(buc) as Record<string, unknown>;
      for (const entries of Object.values(parsed)) {
        if (!Array.isArray(entries)) continue;
        for (const e of entries as Array<Record<string, unknown>>) {
          maxPercent = Math.max(maxPercent, ...percents(e));
          const minutes = e.estimated_time_to_regain_access;
          if (typeof minutes === 'number') regainMs = Math.max(regainMs, minutes * 60_000);
        }
      }
    }
  } catch {
    return null; // A malformed header is no reason to fail the call it came with.
  }
  return { maxPercent, regainMs };
}

/** How long to wait before the next call: nothing below 90%, then up to `capMs` as usage nears 100%. */
export function pauseFor(usage: Usage, capMs: number): number {
  if (usage.regainMs > 0) return Math.min(usage.regainMs, capMs);
  if (usage.maxPercent < 90) return 0;
  return Math.min(capMs, Math.round(((usage.maxPercent - 90) / 10) * capMs));
}

// Where the Graph client remembers Meta's usage headers between calls: one process-wide pause for
// X-App-Usage (the app's own budget, shared by every call) and one pause per business object for
// X-Business-Use-Case-Usage (a Page's budget, which only that Page's calls spend). A Page near its
// limit therefore holds back its own sends and lookups, not every other tenant's (R29).
import { pauseFor, type UsageReport } from './usage-headers.ts';

/** Longest single wait: past this a call fails fast instead of holding a request open. */
const PAUSE_CAP_MS = 2_000;

export class UsagePauses {
  private appUntil = 0;
  private readonly objectUntil = new Map<string, number>();

  record(report: UsageReport, now: number): void {
    if (report.app) this.appUntil = now + pauseFor(report.app, PAUSE_CAP_MS);
    for (const [objectId, usage] of report.objects) {
      const pause = pauseFor(usage, PAUSE_CAP_MS);
      if (pause > 0) this.objectUntil.set(objectId, now + pause);
      else this.objectUntil.delete(objectId);
    }
    // Expired entries go, so the map stays as small as the set of Pages throttled right now.
    for (const [objectId, until] of this.objectUntil) if (until <= now) this.objectUntil.delete(objectId);
  }

  /** ms a call concerning `objectId` (or no object: the app's own pause only) must wait now. */
  waitMs(objectId: string | undefined, now: number): number {
    const objectUntil = objectId === undefined ? 0 : (this.objectUntil.get(objectId) ?? 0);
    return Math.max(0, this.appUntil - now, objectUntil - now);
  }
}

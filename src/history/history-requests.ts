// Asking for a history import, inside the transaction that connects a Page (first time or reconnect):
// one import per platform (Messenger for the Page, Instagram when an account is linked), each a job.
import type { Transaction } from 'kysely';
import * as jobs from '../jobs/job-repository.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { startImport } from './history-repository.ts';

export const HISTORY_IMPORT_JOB = 'history.import';

export interface HistoryJobPayload {
  org_id: string;
  account_id: string;
  platform: 'messenger' | 'instagram';
  page_id: string;
  /** The run this job belongs to: a reconnect starts a new run and older jobs stop. */
  started_at: number;
  /**
   * `catchup`: a second pass from the top, down to the first conversation not updated since the run
   * began. A conversation that gets a message during the import jumps to the front of Meta's list,
   * behind the cursor, and the first pass would miss its older messages.
   */
  phase?: 'catchup';
}

export async function queueHistoryImports(
  tx: Transaction<DatabaseSchema>,
  req: { orgId: string; pageId: string; igId: string | null; days: number; now: number },
): Promise<void> {
  if (req.days <= 0) return;
  const since = req.now - req.days * 24 * 3600_000;
  const targets: Array<[HistoryJobPayload['platform'], string]> = [['messenger', req.pageId]];
  if (req.igId) targets.push(['instagram', req.igId]);
  for (const [platform, accountId] of targets) {
    await startImport(tx, {
      org_id: req.orgId,
      account_id: accountId,
      platform,
      state: 'running',
      after_cursor: null,
      conversations_done: 0,
      messages_imported: 0,
      since,
      error: null,
      started_at: req.now,
      finished_at: null,
    });
    const payload: HistoryJobPayload = {
      org_id: req.orgId,
      account_id: accountId,
      platform,
      page_id: req.pageId,
      started_at: req.now,
    };
    await jobs.enqueue(tx, {
      kind: HISTORY_IMPORT_JOB,
      payload,
      runAt: req.now,
      dedupeKey: `${HISTORY_IMPORT_JOB}:${req.orgId}:${accountId}:${platform}:${req.now}`,
      now: req.now,
    });
  }
}

// Row type of history_imports (migration 0007): one import per connected Page or Instagram account.
export type HistoryImportState = 'running' | 'done' | 'failed';

export interface HistoryImportsTable {
  org_id: string;
  account_id: string;
  platform: 'messenger' | 'instagram';
  state: HistoryImportState;
  /** Meta's `after` cursor of the next page of conversations; null before the first page. */
  after_cursor: string | null;
  conversations_done: number;
  messages_imported: number;
  /** Conversations updated before this time (ms) are not imported. */
  since: number;
  error: string | null;
  started_at: number;
  finished_at: number | null;
}

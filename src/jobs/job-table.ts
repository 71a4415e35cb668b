// Row type of jobs (migration 0002): durable background work, claimed with a lease.
export interface JobsTable {
  id: string;
  kind: string;
  dedupe_key: string | null;
  payload: string;
  run_at: number;
  attempts: number;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
}

// Row types of the connection activity log and the data-deletion record (migration 0004).
export type ActivityKind =
  | 'connected'
  | 'reconnected'
  | 'page_chosen'
  | 'subscribed'
  | 'subscription_failed'
  | 'token_rejected'
  | 'permission_missing'
  | 'instagram_refreshed'
  | 'health_restored'
  | 'disconnected'
  | 'deauthorized'
  | 'deletion_request';

export interface ConnectionEventsTable {
  id: string;
  org_id: string;
  kind: ActivityKind;
  actor_user_id: string | null;
  /** Who, as shown: a member's email, "Meta" or "Parley". */
  actor_label: string;
  page_id: string | null;
  detail: string | null;
  created_at: number;
}

export interface DataDeletionRequestsTable {
  confirmation_code: string;
  requested_at: number;
  deleted_connections: number;
  /** JSON array of Page names whose connection was deleted. */
  deleted_pages: string;
}

export interface SchedulesTable {
  name: string;
  next_run_at: number;
}

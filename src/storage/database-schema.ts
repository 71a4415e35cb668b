// Every table the app queries, assembled from the feature folders' row types.
import type {
  InvitationsTable,
  MembershipsTable,
  OrganizationsTable,
  PasswordResetsTable,
  RecoveryCodesTable,
  SessionsTable,
  UsersTable,
} from '../accounts/account-tables.ts';
import type {
  ConnectionEventsTable,
  DataDeletionRequestsTable,
  SchedulesTable,
} from '../activity/activity-table.ts';
import type { OrganizationMetaSettingsTable } from '../connections/connection-table.ts';
import type { HistoryImportsTable } from '../history/history-table.ts';
import type { ConversationsTable, MessagesTable } from '../inbox/inbox-tables.ts';
import type { NoteMentionsTable } from '../inbox/mention-tables.ts';
import type { JobsTable } from '../jobs/job-table.ts';
import type { MediaBytesTable, MediaTable } from '../media/media-table.ts';
import type { SavedRepliesTable } from '../saved-replies/saved-replies-table.ts';
import type { WebhookDeliveriesTable, WebhookDropsTable } from '../webhooks/delivery-table.ts';

export interface DatabaseSchema {
  organizations: OrganizationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  recovery_codes: RecoveryCodesTable;
  organization_meta_settings: OrganizationMetaSettingsTable;
  jobs: JobsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_drops: WebhookDropsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  connection_events: ConnectionEventsTable;
  data_deletion_requests: DataDeletionRequestsTable;
  schedules: SchedulesTable;
  media: MediaTable;
  media_bytes: MediaBytesTable;
  history_imports: HistoryImportsTable;
  saved_replies: SavedRepliesTable;
  note_mentions: NoteMentionsTable;
}

// Every table the app queries, assembled from the feature folders' row types.
import type {
  MembershipsTable,
  OrganizationsTable,
  SessionsTable,
  UsersTable,
} from '../accounts/account-tables.ts';
import type { OrganizationMetaSettingsTable } from '../connections/connection-table.ts';
import type { JobsTable } from '../jobs/job-table.ts';

export interface DatabaseSchema {
  organizations: OrganizationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  organization_meta_settings: OrganizationMetaSettingsTable;
  jobs: JobsTable;
}

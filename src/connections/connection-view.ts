// Row → the API's `connection` object (CONTRACT §4). Never carries the token.
import type { ConnectionView } from '../contract.ts';
import type { ConnectionRow } from './connection-repository.ts';

export function toConnectionView(
  row: ConnectionRow,
  connectedBy: { id: string; email: string } | null,
): ConnectionView {
  return {
    facebook_page_id: row.facebook_page_id,
    facebook_page_name: row.facebook_page_name,
    instagram_business_account_id: row.instagram_business_account_id,
    instagram_username: row.instagram_username,
    status: row.status,
    status_reason: row.status_reason,
    webhooks: {
      page: row.webhook_page,
      app_page: row.webhook_app_page,
      app_instagram: row.webhook_app_instagram,
    },
    connected_at: new Date(row.connected_at).toISOString(),
    connected_by: { user_id: row.connected_by_user_id, email: connectedBy?.email ?? '(removed user)' },
    last_webhook_at: iso(row.last_webhook_at),
    last_health_check_at: iso(row.last_health_check_at),
    data_access_expires_at: iso(row.data_access_expires_at),
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

// Row type of organization_meta_settings (migration 0002): one row per organization.
export type WebhookState = 'subscribed' | 'failed' | 'pending';
export type ConnectionStatus = 'active' | 'needs_attention' | 'reauth_required';

export interface OrganizationMetaSettingsTable {
  org_id: string;
  facebook_page_id: string;
  facebook_page_name: string;
  /** Sealed by TokenCipher with associated data `page-token|org_id|page_id`. */
  page_access_token: string;
  instagram_business_account_id: string | null;
  instagram_username: string | null;
  status: ConnectionStatus;
  status_reason: string | null;
  webhook_page: WebhookState;
  webhook_app_page: WebhookState;
  webhook_app_instagram: WebhookState;
  connected_by_user_id: string;
  connected_by_fb_user_id: string | null;
  connected_at: number;
  updated_at: number;
  last_health_check_at: number | null;
  last_webhook_at: number | null;
  data_access_expires_at: number | null;
  /** The status owners and admins were last e-mailed about (migration 0009); null once healthy again. */
  alerted_status: ConnectionStatus | null;
}

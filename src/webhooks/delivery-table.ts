// Row types of webhook_deliveries and webhook_drops (migration 0003).
export type DeliveryOutcome = 'processed' | 'quarantined' | 'dead';

export interface WebhookDeliveriesTable {
  id: string;
  received_at: number;
  /** The signed body exactly as received (see body_encoding). */
  body: string;
  body_encoding: 'utf8' | 'base64';
  attempts: number;
  /** A processor's lease; another instance may claim the row once it passes. */
  claimed_until: number | null;
  processed_at: number | null;
  outcome: DeliveryOutcome | null;
  error: string | null;
}

export interface WebhookDropsTable {
  reason: string;
  /** The entry id (Page or Instagram account) the dropped events were for; '' when none applies. */
  account_id: string;
  count: number;
  last_at: number;
}

// A webhook_deliveries row as the receiver stores it (utf8 body, never claimed, not processed), for
// tests that put deliveries in the queue themselves.
import type { DeliveryRow } from '../../src/webhooks/delivery-repository.ts';

export const pendingDelivery = (d: { id: string; received_at: number; body: string }): DeliveryRow => ({
  ...d,
  body_encoding: 'utf8',
  attempts: 0,
  claimed_until: null,
  processed_at: null,
  outcome: null,
  error: null,
});

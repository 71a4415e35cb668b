// What happens to a delivery whose processing failed on its own (R45): it is claimable again after a
// backoff that doubles with each attempt (1 s, 2 s, 4 s … at most 5 min), and after `maxAttempts` it is set
// aside as `dead` with its error, for a person to look at, instead of being retried forever.
import type { Logger } from 'pino';
import type { Database } from '../storage/database.ts';
import type { DeliveryRow } from './delivery-repository.ts';
import * as deliveries from './delivery-repository.ts';
import type { DeliveryOutcome } from './delivery-table.ts';

const MAX_BACKOFF_MS = 5 * 60_000;

export async function retryOrSetAside(
  o: {
    database: Database;
    logger: Logger;
    now: number;
    maxAttempts: number;
    onFinished?: (outcome: DeliveryOutcome | 'retry', lagMs: number) => void;
  },
  row: DeliveryRow,
  err: unknown,
): Promise<void> {
  const { database, logger, now } = o;
  const message = err instanceof Error ? err.message : String(err);
  try {
    if (row.attempts >= o.maxAttempts) {
      logger.error(
        { deliveryId: row.id, attempts: row.attempts },
        'webhook delivery set aside after repeated failures',
      );
      await deliveries.finishDelivery(database.db, row.id, { now, outcome: 'dead', error: message });
      o.onFinished?.('dead', now - row.received_at);
    } else {
      const delay = Math.min(1000 * 2 ** (row.attempts - 1), MAX_BACKOFF_MS);
      logger.warn({ deliveryId: row.id, attempts: row.attempts, delay }, 'webhook delivery failed; retrying');
      await deliveries.releaseDelivery(database.db, row.id, now + delay, message);
      o.onFinished?.('retry', now - row.received_at);
    }
  } catch {
    // The database is down: the lease expires and the delivery is claimed again later.
  }
}

// Asking Meta to stop sending a disconnected Page's events (R48) goes through the outbox: queued in
// the transaction that deletes the connection, carrying its own sealed copy of the Page token, and run
// in the background. Errors that can never succeed end the job (field lessons row 8).
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import * as jobs from '../jobs/job-repository.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import { classifyGraphError } from '../meta/graph-error-class.ts';
import { unsubscribePage } from '../meta/pages.ts';
import type { TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { ConnectionRow } from './connection-repository.ts';
import * as repo from './connection-repository.ts';
import { pageTokenAad, unsubscribeAad } from './page-token.ts';

export const UNSUBSCRIBE_JOB = 'meta.unsubscribe';

export async function queueUnsubscribe(
  tx: Kysely<DatabaseSchema> | Transaction<DatabaseSchema>,
  cipher: TokenCipher,
  row: ConnectionRow,
  t: number,
) {
  const token = cipher.decrypt(row.page_access_token, pageTokenAad(row.org_id, row.facebook_page_id));
  await jobs.enqueue(tx, {
    kind: UNSUBSCRIBE_JOB,
    payload: {
      page_id: row.facebook_page_id,
      sealed_token: cipher.encrypt(token, unsubscribeAad(row.facebook_page_id)),
    },
    runAt: t,
    now: t,
  });
}

export async function runUnsubscribeJob(
  d: { db: Kysely<DatabaseSchema>; cipher: TokenCipher; graph: GraphClient; logger: Logger },
  payload: { page_id: string; sealed_token: string },
): Promise<void> {
  if (await repo.findByPageId(d.db, payload.page_id)) return; // connected again meanwhile: keep it
  const token = d.cipher.decrypt(payload.sealed_token, unsubscribeAad(payload.page_id));
  try {
    await unsubscribePage(d.graph, payload.page_id, token);
  } catch (err) {
    const cls = classifyGraphError(err);
    if (cls === 'transient' || cls === 'rate_limited') throw err;
    d.logger.info({ pageId: payload.page_id, cls }, 'unsubscribe cannot succeed; dropping it');
  }
}

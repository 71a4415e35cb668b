// Asking Meta to stop sending a disconnected Page's events (R48) goes through the outbox: queued in
// the transaction that deletes the connection, carrying its own sealed copy of the Page token, and run
// in the background. Errors that can never succeed end the job (field lessons row 8). A Page token no
// configured key opens (its key retired) cannot be used to unsubscribe: the removal goes ahead anyway and
// the skipped unsubscribe is logged, with ids only.
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import * as jobs from '../jobs/job-repository.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import { classifyGraphError } from '../meta/graph-error-class.ts';
import { unsubscribePage } from '../meta/pages.ts';
import { DecryptionError, type TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { ConnectionRow } from './connection-repository.ts';
import * as repo from './connection-repository.ts';
import { unsubscribeAad } from './page-token.ts';
import { openPageToken } from './page-token-reader.ts';

export const UNSUBSCRIBE_JOB = 'meta.unsubscribe';

/** Queues the unsubscribe; false (and a log line) when the token cannot be opened, so none is queued. */
export async function queueUnsubscribe(
  tx: Kysely<DatabaseSchema> | Transaction<DatabaseSchema>,
  cipher: TokenCipher,
  row: ConnectionRow,
  t: number,
  logger: Logger,
): Promise<boolean> {
  const token = openPageToken(cipher, row);
  if (token === null) {
    logger.warn(
      { orgId: row.org_id, pageId: row.facebook_page_id, keyId: cipher.keyIdOf(row.page_access_token) },
      'page token cannot be decrypted (key retired?): unsubscribe skipped, connection removed anyway',
    );
    return false;
  }
  await jobs.enqueue(tx, {
    kind: UNSUBSCRIBE_JOB,
    payload: {
      page_id: row.facebook_page_id,
      sealed_token: cipher.encrypt(token, unsubscribeAad(row.facebook_page_id)),
    },
    runAt: t,
    now: t,
  });
  return true;
}

export async function runUnsubscribeJob(
  d: { db: Kysely<DatabaseSchema>; cipher: TokenCipher; graph: GraphClient; logger: Logger },
  payload: { page_id: string; sealed_token: string },
): Promise<void> {
  if (await repo.findByPageId(d.db, payload.page_id)) return; // connected again meanwhile: keep it
  let token: string;
  try {
    token = d.cipher.decrypt(payload.sealed_token, unsubscribeAad(payload.page_id));
  } catch (err) {
    // Its key was retired before the job ran: retrying can never open it.
    if (!(err instanceof DecryptionError)) throw err;
    d.logger.warn({ pageId: payload.page_id }, 'unsubscribe token cannot be decrypted; dropping the job');
    return;
  }
  try {
    await unsubscribePage(d.graph, payload.page_id, token);
  } catch (err) {
    const cls = classifyGraphError(err);
    if (cls === 'transient' || cls === 'rate_limited') throw err;
    d.logger.info({ pageId: payload.page_id, cls }, 'unsubscribe cannot succeed; dropping it');
  }
}

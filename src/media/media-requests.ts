// Asking for a file to be kept: a pending media row and its download job, written in the caller's
// transaction (the outbox), so a message is never stored without its download being due, and a
// rolled-back message leaves no job behind.
import type { Transaction } from 'kysely';
import * as jobs from '../jobs/job-repository.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { newRowId } from '../storage/row-id.ts';
import { insertMedia, type MediaRow } from './media-repository.ts';

export const MEDIA_DOWNLOAD_JOB = 'media.download';

export interface MediaRequest {
  orgId: string;
  owner: string;
  accountId: string | null;
  url: string;
  name: string | null;
  /** Chosen by the caller when it must name the file before asking (a message row's JSON). */
  id?: string;
}

/** Returns the new media ids, in the order asked. */
export async function requestDownloads(
  tx: Transaction<DatabaseSchema>,
  requests: MediaRequest[],
  now: number,
): Promise<string[]> {
  const rows: MediaRow[] = requests.map((r) => ({
    id: r.id ?? newRowId(),
    org_id: r.orgId,
    owner: r.owner,
    account_id: r.accountId,
    source_url: r.url,
    status: 'pending',
    content_type: null,
    size: null,
    name: r.name,
    attempts: 0,
    error: null,
    created_at: now,
    updated_at: now,
  }));
  if (rows.length === 0) return [];
  await insertMedia(tx, rows);
  for (const row of rows)
    await jobs.enqueue(tx, {
      kind: MEDIA_DOWNLOAD_JOB,
      payload: { media_id: row.id },
      runAt: now,
      dedupeKey: `media:${row.id}`,
      now,
    });
  return rows.map((r) => r.id);
}

/**
 * Forgets an owner's files in the caller's transaction (an unsent message). The rows go now, so nothing
 * serves them any more; the file store's bytes are removed by the sweep (media-service.ts).
 */
export async function forgetMedia(
  tx: Transaction<DatabaseSchema>,
  orgId: string,
  owner: string,
): Promise<void> {
  await tx.deleteFrom('media').where('org_id', '=', orgId).where('owner', '=', owner).execute();
}

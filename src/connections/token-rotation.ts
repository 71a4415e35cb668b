// Key rotation for the tokens Parley keeps at rest (R16, F13). Two places hold sealed Page tokens:
// organization_meta_settings.page_access_token (associated data `page-token|org|page`) and the payload of
// a queued unsubscribe job (`sealed_token`, associated data `unsubscribe|page`). Each is sealed again
// under the newest key of ENCRYPTION_KEYS. It runs beside live instances without downtime: rows are read
// in batches by primary key, a batch is written in one short transaction, and each row is replaced only
// if it still holds the ciphertext that was read (compare-and-set), so a token written meanwhile (a
// reconnect) is never overwritten with an older one. Older keys still decrypt throughout, so every row
// is readable at every moment; a second run finds nothing left to do.
import type { Kysely } from 'kysely';
import type { TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { pageTokenAad, unsubscribeAad } from './page-token.ts';
import { UNSUBSCRIBE_JOB } from './unsubscribe-job.ts';

export interface RotationCount {
  scanned: number;
  /** Sealed again under the newest key (in a dry run: would be). */
  rewrapped: number;
  alreadyCurrent: number;
  /** Changed by the app between read and write; left as the app wrote it (run again to check). */
  changedMeanwhile: number;
  /** Could not be decrypted with any configured key: left untouched. */
  failed: number;
}

export interface RotationReport {
  pageTokens: RotationCount;
  unsubscribeJobs: RotationCount;
}

export interface RotationOptions {
  batchSize?: number;
  dryRun?: boolean;
}

type Db = Kysely<DatabaseSchema>;
interface Rewrap {
  id: string;
  old: string;
  next: string;
}

const zero = (): RotationCount => ({
  scanned: 0,
  rewrapped: 0,
  alreadyCurrent: 0,
  changedMeanwhile: 0,
  failed: 0,
});

export async function rotateSealedTokens(
  db: Db,
  cipher: TokenCipher,
  opts: RotationOptions = {},
): Promise<RotationReport> {
  return {
    pageTokens: await rotatePageTokens(db, cipher, opts),
    unsubscribeJobs: await rotateUnsubscribeJobs(db, cipher, opts),
  };
}

async function rotatePageTokens(db: Db, cipher: TokenCipher, opts: RotationOptions) {
  const count = zero();
  for (let after: string | null = null; ; ) {
    let q = db
      .selectFrom('organization_meta_settings')
      .select(['org_id', 'facebook_page_id', 'page_access_token'])
      .orderBy('org_id')
      .limit(opts.batchSize ?? 100);
    if (after !== null) q = q.where('org_id', '>', after);
    const rows = await q.execute();
    if (rows.length === 0) return count;
    after = rows[rows.length - 1]!.org_id;
    const batch = plan(
      cipher,
      count,
      rows.map((r) => ({
        id: r.org_id,
        sealed: r.page_access_token,
        aad: pageTokenAad(r.org_id, r.facebook_page_id),
      })),
    );
    if (opts.dryRun) {
      count.rewrapped += batch.length;
      continue;
    }
    await db.transaction().execute(async (tx) => {
      for (const w of batch) {
        const r = await tx
          .updateTable('organization_meta_settings')
          .set({ page_access_token: w.next })
          .where('org_id', '=', w.id)
          .where('page_access_token', '=', w.old)
          .executeTakeFirst();
        tally(count, r.numUpdatedRows);
      }
    });
  }
}

async function rotateUnsubscribeJobs(db: Db, cipher: TokenCipher, opts: RotationOptions) {
  const count = zero();
  for (let after: string | null = null; ; ) {
    let q = db
      .selectFrom('jobs')
      .select(['id', 'payload'])
      .where('kind', '=', UNSUBSCRIBE_JOB)
      .orderBy('id')
      .limit(opts.batchSize ?? 100);
    if (after !== null) q = q.where('id', '>', after);
    const rows = await q.execute();
    if (rows.length === 0) return count;
    after = rows[rows.length - 1]!.id;
    const payloads = new Map<string, { text: string; value: UnsubscribePayload }>();
    for (const row of rows) {
      const value = readPayload(row.payload);
      if (value) payloads.set(row.id, { text: row.payload, value });
      else {
        count.scanned++;
        count.failed++;
      }
    }
    const batch = plan(
      cipher,
      count,
      [...payloads].map(([id, p]) => ({
        id,
        sealed: p.value.sealed_token,
        aad: unsubscribeAad(p.value.page_id),
      })),
    ).map((w) => {
      const p = payloads.get(w.id)!;
      return { id: w.id, old: p.text, next: JSON.stringify({ ...p.value, sealed_token: w.next }) };
    });
    if (opts.dryRun) {
      count.rewrapped += batch.length;
      continue;
    }
    await db.transaction().execute(async (tx) => {
      for (const w of batch) {
        const r = await tx
          .updateTable('jobs')
          .set({ payload: w.next })
          .where('id', '=', w.id)
          .where('payload', '=', w.old)
          .executeTakeFirst();
        tally(count, r.numUpdatedRows);
      }
    });
  }
}

/** Decides each row of a batch: already current, undecryptable, or re-sealed (returned). */
function plan(
  cipher: TokenCipher,
  count: RotationCount,
  rows: Array<{ id: string; sealed: string; aad: string }>,
): Rewrap[] {
  const out: Rewrap[] = [];
  for (const { id, sealed, aad } of rows) {
    count.scanned++;
    let next: string | null;
    try {
      next = cipher.rewrap(sealed, aad);
    } catch {
      count.failed++;
      continue;
    }
    if (next === null) count.alreadyCurrent++;
    else out.push({ id, old: sealed, next });
  }
  return out;
}

function tally(count: RotationCount, updated: bigint | number | undefined) {
  if (Number(updated ?? 0) === 1) count.rewrapped++;
  else count.changedMeanwhile++;
}

interface UnsubscribePayload {
  page_id: string;
  sealed_token: string;
}

function readPayload(text: string): UnsubscribePayload | null {
  try {
    const p = JSON.parse(text) as Record<string, unknown>;
    if (typeof p.page_id === 'string' && typeof p.sealed_token === 'string')
      return p as unknown as UnsubscribePayload;
  } catch {
    // fall through: an unreadable payload is reported as failed
  }
  return null;
}

// Who checkpoints an SQLite file's WAL while a processor thread works on it (issue 15). SQLite's default
// checkpoints at 1,000 pages (4 MB): a backlog's processing commits then spent over half their time
// copying pages back into the main file, many of them the same index pages again and again. Checkpoints
// that are rarer and larger copy each such page once. Inline drain of 20,000 deliveries over 100,000
// stored messages (2-core VM, alternating runs): 1,000 pages 3,355–3,738 events/s; 4,000: 4,363–4,731;
// 16,000: 5,423–5,659. The app on SQLite (BENCH_ONLY=ingestion, two alternating runs each, 1,000 → these
// thresholds): drain after a single-event burst 3,923–3,924 → 4,197–4,388 events/s, after a batched one
// 4,342–4,449 → 4,784–5,288; ack p99 at 1,000/s 70–85 → 37–42 ms.
//
// The processor's connection does the checkpointing (at 16,000 pages, 64 MB of WAL, and when its thread
// goes idle). The main thread's connection would otherwise find the WAL past its own threshold at every
// commit and run the checkpoint on the event loop that acknowledges webhooks; its threshold is set above
// the processor's, a backstop for writes made while no processor runs.
import { sql } from 'kysely';
import type { Database } from './database.ts';

export const PROCESSOR_WAL_AUTOCHECKPOINT_PAGES = 16_000;
export const MAIN_WAL_AUTOCHECKPOINT_PAGES = 32_000;

export async function setWalAutocheckpoint(database: Database, pages: number): Promise<void> {
  if (database.dialect !== 'sqlite') return;
  await sql.raw(`pragma wal_autocheckpoint = ${Math.trunc(pages)}`).execute(database.db);
}

/** Copies what it can of the WAL back into the file without waiting for readers or writers. */
export async function checkpointPassive(database: Database): Promise<void> {
  if (database.dialect !== 'sqlite') return;
  await sql`pragma wal_checkpoint(PASSIVE)`.execute(database.db);
}

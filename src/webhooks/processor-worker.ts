// Runs in a worker thread (processor-thread.ts starts it): the webhook processor on an SQLite
// connection of its own. better-sqlite3 runs every statement synchronously, so on the main thread
// processing (most of it inside SQLite statements) and acknowledging took turns on one event loop, and
// at 1,000 deliveries/s the acks queued behind processing transactions for a second and more. Here a
// processing transaction stops only this thread. What must happen on the main thread — live events to
// open browsers, participant-name lookups (they need the Graph client and the keyring), metrics — is
// posted back after each commit.
import { parentPort, workerData } from 'node:worker_threads';
import type { InboxChanges } from '../inbox/inbox-changes.ts';
import { createLogger } from '../logger.ts';
import { createDatabase } from '../storage/database.ts';
import {
  checkpointPassive,
  PROCESSOR_WAL_AUTOCHECKPOINT_PAGES,
  setWalAutocheckpoint,
} from '../storage/sqlite-wal.ts';
import type { DeliveryOutcome } from './delivery-table.ts';
import { IntakeTransfer } from './intake-file.ts';
import type { FromProcessor, ProcessorWorkerData, ToProcessor } from './processor-messages.ts';
import { niceThisThread } from './thread-priority.ts';
import { WebhookProcessor } from './webhook-processor.ts';

const port = parentPort;
if (!port) throw new Error('processor-worker runs only as a worker thread');
const data = workerData as ProcessorWorkerData;
const send = (m: FromProcessor) => port.postMessage(m);
if (data.nice !== 0) niceThisThread(data.nice);
/**
 * The processor steps back while the receiver commits more than this many deliveries a second: twice the
 * 1,000/s that processing must keep up with (issue 15), well under what the receiver takes at most
 * (5,000–8,000/s on the 2-core VM). In a burst the two took the cores from each other: on PostgreSQL the
 * receiver rose from 4,251 to 5,566 deliveries/s when the processor stepped back (bench, 2026-12-05).
 */
const BUSY_INTAKE_PER_S = 2000;
/** The receiver's count of committed deliveries, as of the last kick. */
let stored = 0;
const finished: Array<{ outcome: DeliveryOutcome | 'retry'; lagMs: number }> = [];
/**
 * SQLite: the processor's page cache, half of what better-sqlite3 gives a connection. Its pages live in
 * the process's malloc arenas, and at 1,000 deliveries/s the full 16,000 KiB was most of what kept the
 * resident memory over issue 15's 150 MB (bench/results/profile.md, seventeenth session). With 8,000 KiB
 * the main arena ended 2–16 MB smaller (peak RSS 145.8–147.6 MB against 147.9–154.1 in alternated runs)
 * at no measurable cost to the drain; 2,000 KiB cost the drain about 14 %.
 */
const PROCESSOR_SQLITE_CACHE_KIB = 8000;
// PostgreSQL: a small pool of its own: two lanes (webhook-processor.ts) and the claim made beside them.
const database = createDatabase(data.database, { poolSize: 3, sqliteCacheKiB: PROCESSOR_SQLITE_CACHE_KIB });
await setWalAutocheckpoint(database, PROCESSOR_WAL_AUTOCHECKPOINT_PAGES);
const intake = data.intakeFile ? new IntakeTransfer(data.intakeFile, database) : undefined;
const processor = new WebhookProcessor({
  database,
  intake,
  logger: createLogger(data.logLevel).child({ thread: 'webhook-processor' }),
  now: Date.now,
  pollMs: data.pollMs,
  eventsPerTransaction: data.eventsPerTransaction,
  batchSize: data.claimBatch,
  storedSoFar: () => stored,
  busyIntakePerS: BUSY_INTAKE_PER_S,
  committed: async (orgId: string, c: InboxChanges) =>
    send({
      type: 'committed',
      changes: {
        orgId,
        created: [...c.created.values()],
        updated: [...c.updated.values()],
        conversations: [...c.conversations],
        needProfile: [...c.needProfile],
      },
    }),
  onGaveWay: (pauseMs) => send({ type: 'gave-way', pauseMs }),
  onFinished: (outcome, lagMs) => {
    // Sent a turn's worth at a time, not one message per delivery.
    if (finished.length === 0) setImmediate(() => send({ type: 'finished', list: finished.splice(0) }));
    finished.push({ outcome, lagMs });
  },
});
processor.start();

port.on('message', (m: ToProcessor) => {
  if (m.type === 'kick') {
    stored = m.stored;
    processor.kick();
    return;
  }
  const work = m.type === 'drain' ? processor.drain() : processor.stop().then(() => 0);
  work.then(
    (n) => send({ type: 'done', seq: m.seq, n }),
    (err: unknown) => send({ type: 'failed', seq: m.seq, error: String(err) }),
  );
  if (m.type === 'stop')
    void work.finally(async () => {
      intake?.close();
      // The thread stops when idle or at shutdown: what its larger threshold left in the WAL goes back now.
      await checkpointPassive(database).catch(() => {});
      return database.close();
    });
});

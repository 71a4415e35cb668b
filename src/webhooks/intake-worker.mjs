// @ts-check
// Runs in a worker thread (intake-writer.ts starts it): writes groups of webhook deliveries to the
// SQLite file on a connection of its own, each group in one fully synced commit, and answers when the
// commit is on disk. better-sqlite3 is synchronous, so on the main thread every commit's sync stopped
// the event loop — acknowledgements, the inbox API, everything — for as long as the disk took. Here it
// only stops this thread. Writers still take turns on the file: SQLite's lock serialises this
// connection with the main one, and busy_timeout makes either wait for the other.
//
// Plain JavaScript, checked by tsc through @ts-check: a worker thread does not inherit the tsx loader
// the sources run under, so this one file must run as it is (the bundle copies it to dist-server/).
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

/** @typedef {import('./intake-messages.ts').IntakeRequest} IntakeRequest */
/** @typedef {import('./intake-messages.ts').IntakeReply} IntakeReply */

if (!parentPort) throw new Error('intake-worker.mjs runs only as a worker thread');
const port = parentPort;
const { file, intakeFile } = /** @type {{ file: string, intakeFile: boolean }} */ (workerData);
const db = new SQLite(file);
db.pragma('journal_mode = WAL');
// Acknowledged only after this commit: it must survive a power cut (R38).
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
// Never checkpoints: a checkpoint copies the WAL into the database file and syncs it, a wait no
// acknowledgement should include. The connections that process deliveries (and the main one) do.
db.pragma('wal_autocheckpoint = 0');

// The intake file of its own (intake-file.ts; the table is created here too, same statement there) or
// the main file's webhook_deliveries.
if (intakeFile) {
  db.exec(`create table if not exists webhook_intake (
  id text primary key,
  received_at integer not null,
  body text not null,
  body_encoding text not null
)`);
}
const insert = db.prepare(
  intakeFile
    ? `insert into webhook_intake (id, received_at, body, body_encoding)
   values (@id, @received_at, @body, @body_encoding)`
    : `insert into webhook_deliveries
     (id, received_at, body, body_encoding, attempts, claimed_until, processed_at, outcome, error)
   values (@id, @received_at, @body, @body_encoding, 0, null, null, null, null)`,
);
const insertGroup = db.transaction((/** @type {IntakeRequest['rows']} */ rows) => {
  for (const row of rows) insert.run(row);
});

// Requests that arrive while a commit runs (the receiver sends a group every event-loop turn, without
// waiting for the previous one's answer) are committed together in the next transaction: one sync for
// all of them, each answered once it is on disk.
/** @type {IntakeRequest[]} */
let waiting = [];
port.on('message', (/** @type {IntakeRequest} */ request) => {
  if (waiting.length === 0) setImmediate(commitWaiting);
  waiting.push(request);
});

function commitWaiting() {
  const requests = waiting;
  waiting = [];
  /** @type {string | null} */
  let error = null;
  try {
    insertGroup(requests.flatMap((r) => r.rows));
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  for (const { seq } of requests) {
    /** @type {IntakeReply} */
    const reply = error === null ? { seq, ok: true } : { seq, ok: false, error };
    port.postMessage(reply);
  }
}

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

const port = parentPort;
if (!port) throw new Error('intake-worker.mjs runs only as a worker thread');
const { file } = /** @type {{ file: string }} */ (workerData);
const db = new SQLite(file);
db.pragma('journal_mode = WAL');
// Acknowledged only after this commit: it must survive a power cut (R38).
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');

const insert = db.prepare(
  `insert into webhook_deliveries
     (id, received_at, body, body_encoding, attempts, claimed_until, processed_at, outcome, error)
   values (@id, @received_at, @body, @body_encoding, 0, null, null, null, null)`,
);
const insertGroup = db.transaction((/** @type {IntakeRequest['rows']} */ rows) => {
  for (const row of rows) insert.run(row);
});

port.on('message', (/** @type {IntakeRequest} */ request) => {
  /** @type {IntakeReply} */
  let reply;
  try {
    insertGroup(request.rows);
    reply = { seq: request.seq, ok: true };
  } catch (err) {
    reply = { seq: request.seq, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});

// The main thread's side of the intake worker (intake-worker.mjs): hands it a group of deliveries and
// resolves once they are committed there. Used with an SQLite file (PostgreSQL's client is already
// asynchronous; an in-memory SQLite database cannot be shared across threads). A worker that dies
// fails the groups it held (their senders get 503 and Meta retries) and is started again on next use.
import { Worker } from 'node:worker_threads';
import type { DeliveryRow } from './delivery-repository.ts';
import type { IntakeReply, IntakeRequest } from './intake-messages.ts';

// The worker is plain JavaScript, so the same file runs from the sources and, copied beside the
// bundle, from dist-server/.
const WORKER_URL = new URL('./intake-worker.mjs', import.meta.url);

/**
 * Groups the receiver may have sent before the first is committed (DeliveryInbox's maxInFlight): the
 * worker commits whatever reached it together, so this bounds only how far ahead the receiver runs.
 */
export const INTAKE_GROUPS_IN_FLIGHT = 8;

export class IntakeWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntakeWorkerError';
  }
}

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class IntakeWriter {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  /** `intakeFile`: `file` is the intake file of its own (intake-file.ts), not the main database. */
  constructor(
    private readonly file: string,
    private readonly intakeFile = false,
  ) {}

  write(rows: DeliveryRow[]): Promise<void> {
    if (this.closed) return Promise.reject(new IntakeWorkerError('intake is closed'));
    const seq = ++this.seq;
    const request: IntakeRequest = {
      seq,
      rows: rows.map((r) => ({
        id: r.id,
        received_at: r.received_at,
        body: r.body,
        body_encoding: r.body_encoding,
      })),
    };
    return new Promise<void>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.started().postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    this.failAll('intake is closed');
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_URL, { workerData: { file: this.file, intakeFile: this.intakeFile } });
    worker.on('message', (reply: IntakeReply) => {
      const p = this.pending.get(reply.seq);
      if (!p) return;
      this.pending.delete(reply.seq);
      if (reply.ok) p.resolve();
      else p.reject(new IntakeWorkerError(reply.error));
    });
    const gone = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(why);
    };
    worker.on('error', (err) => gone(`intake worker failed: ${err.message}`));
    worker.on('exit', (code) => gone(`intake worker exited (${code})`));
    this.worker = worker;
    return worker;
  }

  private failAll(why: string): void {
    for (const p of this.pending.values()) p.reject(new IntakeWorkerError(why));
    this.pending.clear();
  }
}

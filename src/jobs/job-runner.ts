// Runs due jobs: polls the jobs table, hands each job to its handler, and retries failures with
// exponential backoff up to a bound. A handler that returns has finished the job; one that throws
// asks for a retry. Safe with several instances (see job-repository.ts).
import type { Logger } from 'pino';
import type { Database } from '../storage/database.ts';
import * as jobs from './job-repository.ts';

export type JobHandler = (payload: unknown, attempt: number) => Promise<void>;

export interface JobRunnerOptions {
  database: Database;
  logger: Logger;
  now: () => number;
  pollMs?: number;
  maxAttempts?: number;
  /** First retry delay; doubles each attempt, capped at 10 minutes. */
  backoffMs?: number;
}

export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly opts: JobRunnerOptions) {}

  handle(kind: string, handler: JobHandler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runDue().catch(() => {}), this.opts.pollMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** Runs every job due now; returns how many ran. Tests call this instead of waiting for the timer. */
  runDue(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<number> {
    const { database, logger, now } = this.opts;
    const claimed = await jobs.claimDue(database.db, database.dialect, now(), { limit: 20, leaseMs: 60_000 });
    for (const job of claimed) {
      const handler = this.handlers.get(job.kind);
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(JSON.parse(job.payload), job.attempts);
        await jobs.complete(database.db, job.id);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (job.attempts >= (this.opts.maxAttempts ?? 12)) {
          logger.error({ jobId: job.id, kind: job.kind, attempts: job.attempts }, 'job gave up');
          await jobs.complete(database.db, job.id);
        } else {
          const delay = Math.min((this.opts.backoffMs ?? 5_000) * 2 ** (job.attempts - 1), 600_000);
          logger.warn(
            { jobId: job.id, kind: job.kind, attempts: job.attempts, delay },
            'job failed; retrying',
          );
          await jobs.reschedule(database.db, job.id, now() + delay, message);
        }
      }
    }
    return claimed.length;
  }
}

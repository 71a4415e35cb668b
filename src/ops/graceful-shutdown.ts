// Graceful shutdown, installed by the process entry. On SIGTERM or SIGINT: /readyz turns 503 at once
// and, for the drain delay, everything else is still served (a balancer needs a few polls to notice and
// stop routing here; closing first would refuse requests it still sends). Then: stop accepting connections
// and let in-flight requests finish (a webhook being stored still gets its 200 once committed, or a 5xx);
// then the app's onClose hooks let the webhook processor finish the deliveries it has claimed, the job
// runner its jobs and the health check its round; only then are Redis and the database closed. Fastify
// answers 503 to a request that arrives on a kept-alive connection meanwhile, which Meta retries.
// A second signal, or the deadline passing, exits 1 at once.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Readiness } from './readiness.ts';

export interface ShutdownOptions {
  app: FastifyInstance;
  logger: Logger;
  /** Closes what the app does not own (database, cache, sandbox), after the app has closed. */
  closeRest: () => Promise<void>;
  /** Turned not-ready as soon as a signal arrives. */
  readiness: Readiness;
  /** Time between the signal (readyz → 503) and the close; a second signal still exits 1 at once. */
  drainMs?: number;
  /** Deadline for the close, counted after the drain delay. */
  timeoutMs?: number;
  exit?: (code: number) => void;
}

export function installGracefulShutdown(o: ShutdownOptions): void {
  const exit = o.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) {
      o.logger.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    closing = true;
    const started = Date.now();
    o.readiness.beginShutdown();
    const drainMs = o.drainMs ?? 0;
    const force = setTimeout(
      () => {
        o.logger.error({ ms: Date.now() - started }, 'shutdown deadline passed: exiting');
        exit(1);
      },
      drainMs + (o.timeoutMs ?? 15_000),
    );
    force.unref();
    if (drainMs > 0) {
      o.logger.info(
        { signal, drainMs },
        'shutting down: readyz now 503, still serving during the drain delay',
      );
      await new Promise((r) => setTimeout(r, drainMs));
    }
    o.logger.info({ signal }, 'shutting down: finishing in-flight work');
    let code = 0;
    try {
      await o.app.close();
    } catch (err) {
      code = 1;
      o.logger.error({ err }, 'closing the app failed');
    }
    try {
      await o.closeRest();
    } catch (err) {
      code = 1;
      o.logger.error({ err }, 'closing the database or cache failed');
    }
    o.logger.info({ ms: Date.now() - started }, 'shut down');
    exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
}

// Graceful shutdown, installed by the process entry. On SIGTERM or SIGINT: stop accepting connections
// and let in-flight requests finish (a webhook being stored still gets its 200 once committed, or a 5xx);
// then the app's onClose hooks let the webhook processor finish the deliveries it has claimed, the job
// runner its jobs and the health check its round; only then are Redis and the database closed. Fastify
// answers 503 to a request that arrives on a kept-alive connection meanwhile, which Meta retries.
// A second signal, or the deadline passing, exits 1 at once.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

export interface ShutdownOptions {
  app: FastifyInstance;
  logger: Logger;
  /** Closes what the app does not own (database, cache, sandbox), after the app has closed. */
  closeRest: () => Promise<void>;
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
    o.logger.info({ signal }, 'shutting down: finishing in-flight work');
    const force = setTimeout(() => {
      o.logger.error({ ms: Date.now() - started }, 'shutdown deadline passed: exiting');
      exit(1);
    }, o.timeoutMs ?? 15_000);
    force.unref();
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

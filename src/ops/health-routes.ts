// /healthz: the process is alive. /readyz: it can reach its database (and Redis, when configured),
// so a load balancer stops sending traffic to an instance that cannot store what it acknowledges; and
// it is not shutting down (503 `shutting_down` from the signal on, while requests are still served).

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { Cache } from '../cache/cache.ts';
import type { Database } from '../storage/database.ts';
import type { Readiness } from './readiness.ts';

export const healthRoutes: FastifyPluginAsyncZod<{
  database: Database;
  cache: Cache;
  readiness?: Readiness;
}> = async (app, opts) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (opts.readiness?.shuttingDown) return reply.code(503).send({ status: 'shutting_down' });
    const checks: Record<string, 'ok' | 'down'> = {};
    checks.database = await sql`select 1`
      .execute(opts.database.db)
      .then(() => 'ok' as const)
      .catch(() => 'down' as const);
    checks.cache = await opts.cache
      .get('readyz')
      .then(() => 'ok' as const)
      .catch(() => 'down' as const);
    const ready = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
  });
};

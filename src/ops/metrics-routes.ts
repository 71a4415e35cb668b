// GET /metrics in Prometheus text format, for the operator's scraper only. Enabled by METRICS_TOKEN: the
// scraper sends `Authorization: Bearer <token>` (compared in constant time). Without a token the route
// answers 404. A bind-address or loopback check was not chosen: behind a reverse proxy on the same host
// every public request arrives from 127.0.0.1, so "local only" would quietly mean "public".
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { safeEqualText } from '../meta/webhook-signature.ts';
import { WEBHOOK_PATH } from '../webhooks/webhook-routes.ts';
import type { AppMetrics } from './metrics.ts';
import { MetricsDisabledError, MetricsUnauthorizedError } from './metrics-errors.ts';

export const METRICS_PATH = '/metrics';

export interface MetricsRoutesOptions {
  metrics: AppMetrics;
  token: string | null;
}

export const metricsRoutes: FastifyPluginAsync<MetricsRoutesOptions> = async (app, opts) => {
  app.get(METRICS_PATH, { schema: { hide: true } }, async (request, reply) => {
    if (!opts.token) throw new MetricsDisabledError();
    const header = request.headers.authorization ?? '';
    const presented = /^Bearer /i.test(header) ? header.slice(7).trim() : '';
    if (!safeEqualText(presented, opts.token)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new MetricsUnauthorizedError();
    }
    const text = await opts.metrics.render();
    return reply.header('cache-control', 'no-store').type(opts.metrics.contentType).send(text);
  });
};

/**
 * Counts every answer to a webhook POST by outcome, with its latency, whatever produced it (the route,
 * the signature check, the body limit). Registered on the root before the routes, so it sees them all.
 */
export function observeWebhookAcks(app: FastifyInstance, metrics: AppMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'POST' && request.routeOptions.url === WEBHOOK_PATH) {
      metrics.webhookAck(reply.statusCode, reply.elapsedTime);
    }
  });
}

// The request-wide hooks of /api (CONTRACT §3, R25): CSRF and JSON-only for state-changing requests,
// the session for routes that use it, and no-store on every answer. Each decides by the route the router
// matched (`request.routeOptions.url`, the pattern as registered), never by the raw URL: find-my-way
// decodes the path before matching, so `/%61pi/auth/login` reaches the `/api/auth/login` handler while
// `request.url` still reads `/%61pi/…` and a prefix test on it would let a cross-site form log a victim
// into the attacker's account (login CSRF).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkCsrf } from './csrf.ts';

const isApi = (request: FastifyRequest) => request.routeOptions.url?.startsWith('/api/') === true;
/** The OAuth callback is not under /api but reads the session that started the flow. */
const usesSession = (request: FastifyRequest) =>
  isApi(request) || request.routeOptions.url?.startsWith('/integrations/meta-messaging/oauth/') === true;

export function registerRouteHooks(
  app: FastifyInstance,
  opts: { publicOrigin: string; loadSession: (request: FastifyRequest) => Promise<void> },
): void {
  app.addHook('onRequest', async (request) => {
    if (isApi(request)) checkCsrf(request, opts.publicOrigin);
  });
  app.addHook('preHandler', async (request) => {
    if (usesSession(request)) await opts.loadSession(request);
  });
  app.addHook('onSend', async (request, reply) => {
    if (isApi(request)) reply.header('cache-control', 'no-store');
  });
}

// /api/integrations/meta/* (CONTRACT §4). Every endpoint acts on the caller's organization only.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  activityResponse,
  connectionResponse,
  connectionStatusResponse,
  disconnectResponse,
  oauthUrlResponse,
  pendingPagesResponse,
  selectPageRequest,
} from '../contract.ts';
import { MANAGERS, requireRole, requireSession } from '../http/request-session.ts';
import type { CookiePolicy } from '../http/session-cookie.ts';
import { MetaUnreachableError, NotConnectedError } from './connection-errors.ts';
import type { ConnectionHealth } from './connection-health.ts';
import { type ConnectionService, sessionActor } from './connection-service.ts';
import type { OAuthFlow } from './oauth-callback-service.ts';
import { OAuthTransactions } from './oauth-transactions.ts';
import type { SubscriptionService } from './subscription-service.ts';

export const BROWSER_COOKIE = 'parley_oauth_browser';

export interface ConnectionRoutesOptions {
  connections: ConnectionService;
  subscriptions: SubscriptionService;
  health: ConnectionHealth;
  flow: OAuthFlow;
  cookies: CookiePolicy;
}

export const connectionRoutes: FastifyPluginAsyncZod<ConnectionRoutesOptions> = async (app, opts) => {
  const { connections, subscriptions, health, flow, cookies } = opts;
  const tags = ['meta connection'];
  const statusOf = async (orgId: string) => {
    const s = await connections.status(orgId);
    if (!s.connected) throw new NotConnectedError();
    return { connection: s.connection };
  };

  app.get(
    '/api/integrations/meta',
    { schema: { tags, response: { 200: connectionStatusResponse } } },
    async (request) => connections.status(requireSession(request).organization.id),
  );

  app.get(
    '/api/integrations/meta/oauth-url',
    { schema: { tags, response: { 200: oauthUrlResponse } } },
    async (request, reply) => {
      const session = requireRole(request, MANAGERS);
      // One id per browser (not per flow), so two tabs' flows both stay valid (R13).
      const existing = request.cookies[cookies.name(BROWSER_COOKIE)];
      const unsigned = existing ? request.unsignCookie(existing) : null;
      const browserId = unsigned?.valid && unsigned.value ? unsigned.value : OAuthTransactions.newBrowserId();
      reply.setCookie(cookies.name(BROWSER_COOKIE), browserId, cookies.options(24 * 3600));
      return { url: await flow.start(session, browserId) };
    },
  );

  app.get(
    '/api/integrations/meta/pending-pages',
    { schema: { tags, response: { 200: pendingPagesResponse } } },
    async (request) => connections.pendingPages(requireRole(request, MANAGERS)),
  );

  app.post(
    '/api/integrations/meta/select-page',
    { schema: { tags, body: selectPageRequest, response: { 200: connectionResponse } } },
    async (request) => {
      const session = requireRole(request, MANAGERS);
      const { connection } = await connections.selectPage(session, request.body.page_id);
      return { connection };
    },
  );

  app.post(
    '/api/integrations/meta/retry-subscriptions',
    { schema: { tags, response: { 200: connectionResponse } } },
    async (request) => {
      const session = requireRole(request, MANAGERS);
      await subscriptions.retry(session.organization.id, sessionActor(session));
      return statusOf(session.organization.id);
    },
  );

  app.post(
    '/api/integrations/meta/refresh-instagram',
    { schema: { tags, response: { 200: connectionResponse } } },
    async (request) => ({ connection: await connections.refreshInstagram(requireRole(request, MANAGERS)) }),
  );

  app.post(
    '/api/integrations/meta/health-check',
    { schema: { tags, response: { 200: connectionResponse } } },
    async (request) => {
      const session = requireRole(request, MANAGERS);
      // Meta unreachable: a 502 that says so, rather than the unchanged status as if it had been checked.
      if (!(await health.check(session.organization.id))) throw new MetaUnreachableError();
      return statusOf(session.organization.id);
    },
  );

  app.get(
    '/api/integrations/meta/activity',
    { schema: { tags, response: { 200: activityResponse } } },
    async (request) => ({
      events: await connections.activity(requireRole(request, MANAGERS).organization.id),
    }),
  );

  app.post(
    '/api/integrations/meta/disconnect',
    { schema: { tags, response: { 200: disconnectResponse } } },
    async (request) => {
      const session = requireRole(request, MANAGERS);
      return { disconnected: await connections.disconnect(session.organization.id, sessionActor(session)) };
    },
  );
};

// GET /{v}/me and GET /{v}/{id}: Pages, Instagram accounts, customer profiles (PSID/IGSID), test users
// and the app itself. Whatever the caller may not see answers as Meta does for a missing object —
// 100/33 — so the app cannot tell "hidden" from "absent" (reference §5).
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import type { EndpointName } from '../endpoints.ts';
import { fieldsParam } from '../fields.ts';
import type { Principal } from '../graph-auth.ts';
import { activeTokenRequired, GraphError, unsupportedRequest } from '../graph-errors.ts';
import { stringParam } from '../graph-params.ts';
import { type GraphCall, graphRoute } from '../graph-route.ts';
import type { Page } from '../model.ts';
import {
  APP,
  INSTAGRAM_ACCOUNT,
  INSTAGRAM_PROFILE,
  MESSENGER_PROFILE,
  PAGE,
  type RenderContext,
  renderNode,
  USER,
} from '../node-fields.ts';
import type { GraphNode } from '../world.ts';

const ENDPOINT_OF_KIND: Record<GraphNode['kind'], EndpointName> = {
  page: 'page.get',
  ig: 'ig.get',
  customer: 'profile',
  user: 'user.get',
};

export function registerNodeRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const renderContext = (call: GraphCall, principal: Principal): RenderContext => ({
    baseUrl: call.baseUrl,
    pageAccessToken: (page: Page) => {
      if (principal.kind === 'user') return ctx.world.tokens.pageTokenFor(principal.token, page.id).value;
      if (principal.kind === 'page' && principal.page.id === page.id) return principal.token.value;
      return undefined;
    },
  });

  const endpointOf = (id: string): EndpointName => {
    if (id === ctx.config.appId) return 'app.get';
    const node = ctx.world.findNode(id);
    return node ? ENDPOINT_OF_KIND[node.kind] : 'unknown';
  };

  app.get(
    '/me',
    graphRoute(ctx, 'me', (call) => {
      const principal = call.auth();
      const selection = fieldsParam(stringParam(call.params, 'fields'));
      if (principal.kind === 'app') throw activeTokenRequired();
      if (principal.kind === 'page')
        return renderNode(PAGE, principal.page, selection, renderContext(call, principal));
      const persona = ctx.world.personaByUserId(principal.token.userId);
      if (!persona) throw activeTokenRequired();
      return renderNode(USER, persona, selection, renderContext(call, principal));
    }),
  );

  app.get(
    '/:id',
    graphRoute(
      ctx,
      (req) => endpointOf((req.params as { id: string }).id),
      (call) => {
        const id = (call.req.params as { id: string }).id;
        const principal = call.auth();
        const selection = fieldsParam(stringParam(call.params, 'fields'));
        const rc = renderContext(call, principal);
        const hidden = () => unsupportedRequest('GET', id);
        if (id === ctx.config.appId) return renderNode(APP, { id, name: ctx.config.appName }, selection, rc);
        const node = ctx.world.findNode(id);
        switch (node?.kind) {
          case 'page':
            if (!canSeePage(ctx, principal, node.page.id)) throw hidden();
            return renderNode(PAGE, node.page, selection, rc);
          case 'ig':
            if (!canSeePage(ctx, principal, node.page.id)) throw hidden();
            requireInstagramBasic(principal);
            return renderNode(INSTAGRAM_ACCOUNT, node.ig, selection, rc);
          case 'customer':
            if (principal.kind !== 'page' || principal.page.id !== node.customer.pageId) throw hidden();
            return renderNode(
              node.customer.channel === 'messenger' ? MESSENGER_PROFILE : INSTAGRAM_PROFILE,
              node.customer,
              selection,
              rc,
            );
          case 'user':
            if (principal.kind !== 'user' || principal.token.userId !== node.persona.userId) throw hidden();
            return renderNode(USER, node.persona, selection, rc);
          default:
            throw hidden();
        }
      },
    ),
  );
}

function canSeePage(ctx: EmulatorContext, principal: Principal, pageId: string): boolean {
  if (principal.kind === 'page') return principal.page.id === pageId;
  if (principal.kind === 'user') return ctx.world.canReachPage(principal.token.grant, pageId);
  return false;
}

function requireInstagramBasic(principal: Principal): void {
  if (principal.kind === 'app' || principal.token.grant.scopes.includes('instagram_basic')) return;
  throw new GraphError({ message: '(#10) Application does not have permission for this action', code: 10 });
}

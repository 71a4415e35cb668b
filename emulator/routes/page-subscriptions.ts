// /{v}/{page-id}/subscribed_apps — POST installs the app on the Page with the given fields (replacing
// the previous list), GET lists it, DELETE removes it. Page token of that Page plus
// pages_manage_metadata, as Meta requires (reference §6, §15).
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { requirePage } from '../graph-auth.ts';
import { GraphError, invalidParameter, requiresPermission, unsupportedRequest } from '../graph-errors.ts';
import { listParam } from '../graph-params.ts';
import { graphRoute } from '../graph-route.ts';
import { isMessagingField, PAGE_LEVEL_FIELDS } from '../webhook-fields.ts';

export function registerPageSubscriptionRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const handler = graphRoute(ctx, 'page.subscribed_apps', (call) => {
    const id = (call.req.params as { id: string }).id;
    const method = call.req.method;
    const principal = call.auth();
    if (!ctx.world.pages.has(id)) throw unsupportedRequest(method, id);
    const { token, page } = requirePage(principal);
    if (page.id !== id) throw unsupportedRequest(method, id);
    const scopes = token.grant.scopes;
    if (!scopes.includes('pages_manage_metadata')) throw requiresPermission('pages_manage_metadata');

    if (method === 'GET') {
      if (page.subscribedFields === null) return { data: [] };
      return {
        data: [
          {
            category: 'Business',
            link: 'https://parley.example/',
            name: ctx.config.appName,
            id: ctx.config.appId,
            subscribed_fields: [...page.subscribedFields],
          },
        ],
      };
    }
    if (method === 'DELETE') {
      page.subscribedFields = null;
      return { success: true };
    }

    if (!page.tasks.includes('MODERATE') && !page.tasks.includes('MANAGE')) {
      throw new GraphError({
        message:
          '(#200) The user must be an admin, editor, or moderator of the page in order to impersonate it.',
        code: 200,
      });
    }
    const fields = listParam(call.params, 'subscribed_fields');
    if (!fields || fields.length === 0) throw invalidParameter('The parameter subscribed_fields is required');
    fields.forEach((field, i) => {
      if (!PAGE_LEVEL_FIELDS.includes(field)) {
        throw invalidParameter(
          `Param subscribed_fields[${i}] must be one of {${PAGE_LEVEL_FIELDS.join(', ')}} - got "${field}"`,
        );
      }
    });
    const messaging = fields.find(isMessagingField);
    if (messaging && !scopes.includes('pages_messaging')) {
      throw new GraphError({
        message: `(#200) To subscribe to the ${messaging} field, one of these permissions is needed: pages_messaging`,
        code: 200,
      });
    }
    page.subscribedFields = [...new Set(fields)];
    return { success: true };
  });
  for (const method of ['GET', 'POST', 'DELETE'] as const)
    app.route({ method, url: '/:id/subscribed_apps', handler });
}

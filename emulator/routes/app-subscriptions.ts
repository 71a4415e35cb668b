// /{v}/{app-id}/subscriptions with the app token (reference §7). POST verifies the callback URL first,
// exactly as Meta does, and refuses with 2200 when the echo is wrong; fields add up across POSTs.
// DELETE removes named fields, one object, or everything.
import type { FastifyInstance } from 'fastify';
import { verifyCallback } from '../callback-verification.ts';
import type { EmulatorContext } from '../context.ts';
import { requireApp } from '../graph-auth.ts';
import { GraphError, invalidParameter, unsupportedRequest } from '../graph-errors.ts';
import { listParam, requiredParam, stringParam } from '../graph-params.ts';
import { graphRoute } from '../graph-route.ts';
import { APP_OBJECT_FIELDS } from '../webhook-fields.ts';

export function registerAppSubscriptionRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const subscriptions = ctx.world.appSubscriptions;
  const handler = graphRoute(ctx, 'app.subscriptions', async (call) => {
    const id = (call.req.params as { id: string }).id;
    const method = call.req.method;
    const principal = call.auth();
    if (id !== ctx.config.appId) throw unsupportedRequest(method, id);
    requireApp(principal);

    if (method === 'GET') {
      return {
        data: [...subscriptions.values()].map((s) => ({
          object: s.object,
          callback_url: s.callbackUrl,
          active: true,
          fields: s.fields.map((name) => ({ name, version: s.version })),
        })),
      };
    }

    const object = stringParam(call.params, 'object');
    if (method === 'DELETE') {
      const fields = listParam(call.params, 'fields');
      const existing = object === null ? undefined : subscriptions.get(object);
      if (object === null) subscriptions.clear();
      else if (existing && fields) existing.fields = existing.fields.filter((f) => !fields.includes(f));
      else subscriptions.delete(object);
      if (existing && existing.fields.length === 0) subscriptions.delete(existing.object);
      return { success: true };
    }

    if (object === null) throw invalidParameter('The parameter object is required');
    if (!Object.hasOwn(APP_OBJECT_FIELDS, object)) {
      throw invalidParameter(
        `Param object must be one of {${Object.keys(APP_OBJECT_FIELDS).join(', ')}} - got "${object}"`,
      );
    }
    const callbackUrl = requiredParam(call.params, 'callback_url');
    if (!URL.canParse(callbackUrl) || !/^https?:$/.test(new URL(callbackUrl).protocol)) {
      throw invalidParameter('Param callback_url must be a valid URL');
    }
    const fields = listParam(call.params, 'fields');
    if (!fields || fields.length === 0) throw invalidParameter('The parameter fields is required');
    const allowed = APP_OBJECT_FIELDS[object];
    const unknown = allowed ? fields.filter((f) => !allowed.includes(f)) : [];
    if (unknown.length > 0)
      throw invalidParameter(`Invalid field name(s) for object ${object}: ${unknown.join(', ')}`);

    const verification = await verifyCallback(
      callbackUrl,
      stringParam(call.params, 'verify_token') ?? ctx.config.verifyToken,
    );
    if (!verification.ok) {
      throw new GraphError({
        message: `(#2200) Callback verification failed with the following errors: ${verification.detail}`,
        code: 2200,
      });
    }
    const previous = subscriptions.get(object);
    subscriptions.set(object, {
      object,
      callbackUrl,
      fields: [...new Set([...(previous?.fields ?? []), ...fields])],
      version: call.version,
      includeValues: stringParam(call.params, 'include_values') === 'true',
    });
    return { success: true };
  });
  for (const method of ['GET', 'POST', 'DELETE'] as const)
    app.route({ method, url: '/:id/subscriptions', handler });
}

// Builds the emulator's Fastify instance (never listens; server.ts does). Versioned Graph paths are
// rewritten to unversioned ones before routing, so `/v27.0/me/accounts` and `/me/accounts` are one
// route. Errors become HTTP in two shapes: Meta's envelope for everything Meta would answer, and
// `{error: {message}}` for the control API.
import formbody from '@fastify/formbody';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { ZodError, z } from 'zod';
import type { EmulatorContext } from './context.ts';
import { ControlError } from './control-errors.ts';
import { errorEnvelope, GraphError, unsupportedRequest } from './graph-errors.ts';
import { graphRoute, setMetaHeaders } from './graph-route.ts';
import { traceId } from './ids.ts';
import { metaJson } from './meta-json.ts';
import { registerAccountsRoutes } from './routes/accounts.ts';
import { registerAppSubscriptionRoutes } from './routes/app-subscriptions.ts';
import { registerControlRoutes } from './routes/control.ts';
import { registerControlCallbackRoutes } from './routes/control-callbacks.ts';
import { registerControlMessagingRoutes } from './routes/control-messaging.ts';
import { registerConversationRoutes } from './routes/conversations.ts';
import { registerDebugTokenRoutes } from './routes/debug-token.ts';
import { registerDialogRoutes } from './routes/dialog.ts';
import { registerNodeRoutes } from './routes/nodes.ts';
import { registerOauthRoutes } from './routes/oauth.ts';
import { registerPageSubscriptionRoutes } from './routes/page-subscriptions.ts';
import { registerPlaygroundRoutes } from './routes/playground.ts';
import { registerSendRoutes } from './routes/send.ts';
import { requestedVersion, stripVersion } from './versioning.ts';

const isControlPath = (url: string) => url.startsWith('/_emulator/') || url === '/_emulator';

export async function buildEmulatorApp(ctx: EmulatorContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log,
    rewriteUrl: (req) => stripVersion(req.url ?? '/'),
    bodyLimit: 4 * 1024 * 1024,
  });
  await app.register(formbody);

  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    if (isControlPath(req.url)) return controlError(err, req, reply);
    // Body parse failures and the like reach here before any Graph handler ran.
    const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
    const graphError =
      err instanceof GraphError
        ? err
        : status < 500
          ? new GraphError({ message: `(#100) ${err.message}`, code: 100 })
          : new GraphError({ message: 'An unknown error has occurred.', code: 1, status: 500 });
    if (status >= 500) req.log.error({ err }, 'emulator request failed');
    const trace = traceId();
    setMetaHeaders(reply, requestedVersion(req) ?? ctx.config.defaultVersion, trace);
    return reply.code(graphError.status).send(metaJson(errorEnvelope(graphError, trace)));
  });

  const unknownGraphPath = graphRoute(ctx, 'unknown', (call) => {
    const id = call.req.url.split('?')[0]?.split('/')[1] ?? '';
    throw unsupportedRequest(call.req.method, decodeURIComponent(id));
  });
  app.setNotFoundHandler((req, reply) => {
    if (isControlPath(req.url)) {
      return reply
        .code(404)
        .send({ error: { message: `no control endpoint ${req.method} ${req.url.split('?')[0]}` } });
    }
    return unknownGraphPath.call(app, req, reply);
  });

  registerPlaygroundRoutes(app, ctx);
  registerDialogRoutes(app, ctx);
  registerOauthRoutes(app, ctx);
  registerAccountsRoutes(app, ctx);
  registerDebugTokenRoutes(app, ctx);
  registerSendRoutes(app, ctx);
  registerPageSubscriptionRoutes(app, ctx);
  registerAppSubscriptionRoutes(app, ctx);
  registerConversationRoutes(app, ctx);
  registerNodeRoutes(app, ctx);
  registerControlRoutes(app, ctx);
  registerControlMessagingRoutes(app, ctx);
  registerControlCallbackRoutes(app, ctx);
  return app;
}

function controlError(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof ZodError) {
    return reply.code(400).send({ error: { message: z.prettifyError(err), issues: err.issues } });
  }
  if (err instanceof ControlError) return reply.code(err.status).send({ error: { message: err.message } });
  const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status >= 500) req.log.error({ err }, 'control request failed');
  return reply.code(status).send({ error: { message: status >= 500 ? 'internal error' : err.message } });
}

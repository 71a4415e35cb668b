// GET /{v}/debug_token?input_token=…&access_token=<app token> (reference §13): validity, type, expiry
// (0 = never), scopes and granular scopes — the Page ids each page permission was granted for, which is
// how an app learns which Pages a person ticked. A bad input token is answered inside `data`. The app
// token may come as `Authorization: Bearer` too; a POST falls to the unknown-path handler's 100/33
// "Unsupported post request", as on Meta (logly/mureo#740).
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { isAppToken, requireApp, resolveToken } from '../graph-auth.ts';
import { GraphError } from '../graph-errors.ts';
import { requiredParam } from '../graph-params.ts';
import { graphRoute } from '../graph-route.ts';
import type { Grant } from '../model.ts';
import type { TokenRecord } from '../tokens.ts';

const DATA_ACCESS_MS = 90 * 24 * 3600_000;
const seconds = (ms: number) => Math.floor(ms / 1000);

export function registerDebugTokenRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get(
    '/debug_token',
    graphRoute(ctx, 'debug_token', (call) => {
      try {
        requireApp(call.auth());
      } catch (err) {
        if (err instanceof GraphError && err.code === 15) {
          throw new GraphError({
            message:
              '(#100) You must provide an app access token, or a user access token that is an owner or developer of the app',
            code: 100,
          });
        }
        throw err;
      }
      const input = requiredParam(call.params, 'input_token');
      const application = ctx.config.appName;
      if (isAppToken(ctx, input)) {
        return { data: { app_id: ctx.config.appId, type: 'APP', application, is_valid: true } };
      }
      const token = ctx.world.tokens.get(input);
      if (!token) {
        return {
          data: {
            error: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
            is_valid: false,
            scopes: [],
          },
        };
      }
      let error: GraphError | null = null;
      try {
        resolveToken(ctx, input);
      } catch (err) {
        if (!(err instanceof GraphError)) throw err;
        error = err;
      }
      return { data: describe(ctx, token, error) };
    }),
  );
}

function describe(ctx: EmulatorContext, token: TokenRecord, error: GraphError | null) {
  return {
    app_id: ctx.config.appId,
    type: token.type,
    application: ctx.config.appName,
    data_access_expires_at: seconds(token.grant.grantedAt + DATA_ACCESS_MS),
    ...(error ? { error: { code: error.code, message: error.message, subcode: error.subcode } } : {}),
    expires_at: token.expiresAt === null ? 0 : seconds(token.expiresAt),
    is_valid: error === null,
    ...(token.longLived ? { issued_at: seconds(token.issuedAt) } : {}),
    ...(token.pageId !== null ? { profile_id: token.pageId } : {}),
    scopes: [...token.grant.scopes],
    granular_scopes: granularScopes(ctx, token.grant),
    user_id: token.userId,
  };
}

function granularScopes(ctx: EmulatorContext, grant: Grant) {
  const pages = grant.pageIds.flatMap((id) => ctx.world.pages.get(id) ?? []);
  return grant.scopes.map((scope) => {
    if (scope.startsWith('pages_')) return { scope, target_ids: pages.map((p) => p.id) };
    if (scope.startsWith('instagram_')) {
      return { scope, target_ids: pages.flatMap((p) => (p.instagram ? [p.instagram.id] : [])) };
    }
    return { scope };
  });
}

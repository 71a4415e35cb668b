// GET or POST /{v}/oauth/access_token: code exchange, fb_exchange_token (long-lived) and
// client_credentials (app token), with Meta's error wording (reference §2, §3).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import type { EndpointName } from '../endpoints.ts';
import { resolveToken } from '../graph-auth.ts';
import { GraphError, invalidParameter } from '../graph-errors.ts';
import { type GraphParams, requiredParam, stringParam } from '../graph-params.ts';
import { graphRoute } from '../graph-route.ts';
import { LONG_LIVED_SECONDS } from '../tokens.ts';

const CODE_ERRORS = {
  unknown: { message: 'Invalid verification code format.', subcode: undefined },
  used: { message: 'This authorization code has been used.', subcode: 36009 },
  expired: { message: 'This authorization code has expired.', subcode: 36007 },
  redirect_mismatch: {
    message:
      'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
    subcode: 36008,
  },
} as const;

function endpointFor(params: GraphParams): EndpointName {
  const grantType = stringParam(params, 'grant_type');
  if (grantType === 'fb_exchange_token') return 'oauth.exchange';
  if (grantType === 'client_credentials') return 'oauth.app_token';
  return 'oauth.code';
}

function checkClient(ctx: EmulatorContext, params: GraphParams): void {
  const clientId = stringParam(params, 'client_id');
  if (!clientId) throw new GraphError({ message: 'Missing client_id parameter.', code: 101 });
  if (clientId !== ctx.config.appId) {
    throw new GraphError({ message: 'Error validating application. Invalid application ID.', code: 101 });
  }
  const secret = stringParam(params, 'client_secret');
  if (!secret) throw new GraphError({ message: 'Missing client_secret parameter.', code: 1 });
  if (secret !== ctx.config.appSecret)
    throw new GraphError({ message: 'Error validating client secret.', code: 1 });
}

export function registerOauthRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const handler = graphRoute(
    ctx,
    (_req, params) => endpointFor(params),
    ({ params }) => {
      checkClient(ctx, params);
      const grantType = stringParam(params, 'grant_type');
      if (grantType === 'client_credentials') {
        const token = `${ctx.config.appId}|${randomBytes(20).toString('base64url')}`;
        ctx.appTokens.add(token);
        return { access_token: token, token_type: 'bearer' };
      }
      if (grantType === 'fb_exchange_token') {
        const principal = resolveToken(ctx, requiredParam(params, 'fb_exchange_token'));
        if (principal.kind !== 'user')
          throw invalidParameter('fb_exchange_token must be a user access token');
        const token = ctx.world.tokens.issueUserToken(principal.token.grant, true);
        return { access_token: token.value, token_type: 'bearer', expires_in: LONG_LIVED_SECONDS };
      }
      if (grantType !== null && grantType !== 'authorization_code') {
        throw invalidParameter(`Unsupported grant_type: ${grantType}`);
      }
      const result = ctx.world.codes.redeem(
        requiredParam(params, 'code'),
        stringParam(params, 'redirect_uri'),
      );
      if (!result.ok) throw new GraphError({ code: 100, ...CODE_ERRORS[result.reason] });
      const token = ctx.world.tokens.issueUserToken(result.grant, false);
      const expiresIn = Math.round(((token.expiresAt ?? 0) - ctx.clock.now()) / 1000);
      return { access_token: token.value, token_type: 'bearer', expires_in: expiresIn };
    },
  );
  app.get('/oauth/access_token', handler);
  app.post('/oauth/access_token', handler);
}

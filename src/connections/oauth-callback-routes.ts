// GET /integrations/meta-messaging/oauth/callback: where Facebook sends the browser back. Always a
// redirect into the app on PUBLIC_URL, never a 5xx page, never carrying code, token or state (R7).
import type { FastifyPluginAsync } from 'fastify';
import { needsTwoFactorSetup } from '../http/request-session.ts';
import type { CookiePolicy } from '../http/session-cookie.ts';
import { BROWSER_COOKIE } from './connection-routes.ts';
import { type CallbackQuery, errorPath, type OAuthFlow } from './oauth-callback-service.ts';

export interface OAuthCallbackRoutesOptions {
  flow: OAuthFlow;
  cookies: CookiePolicy;
  publicUrl: string;
}

const single = (v: unknown) => (typeof v === 'string' ? v : undefined);

export const oauthCallbackRoutes: FastifyPluginAsync<OAuthCallbackRoutesOptions> = async (app, opts) => {
  app.get(
    '/integrations/meta-messaging/oauth/callback',
    { schema: { hide: true } },
    async (request, reply) => {
      const q = (request.query ?? {}) as Record<string, unknown>;
      const query: CallbackQuery = { code: single(q.code), state: single(q.state), error: single(q.error) };
      const raw = request.cookies[opts.cookies.name(BROWSER_COOKIE)];
      const unsigned = raw ? request.unsignCookie(raw) : null;
      const browserId = unsigned?.valid ? unsigned.value : null;
      let target: string;
      try {
        // A member held at two-factor setup cannot finish a connect either (requireSession's rule).
        const session = request.session && !needsTwoFactorSetup(request.session) ? request.session : null;
        target = await opts.flow.callback(query, session, browserId);
      } catch (err) {
        request.log.error({ err: { name: (err as Error)?.name } }, 'oauth callback failed unexpectedly');
        target = errorPath('token_exchange_failed');
      }
      return reply
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .redirect(`${opts.publicUrl}${target}`, 302);
    },
  );
};

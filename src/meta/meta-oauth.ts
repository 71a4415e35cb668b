// Facebook Login's server side: the dialog URL, the code exchange and the long-lived exchange.
import { z } from 'zod';
import type { GraphClient } from './graph-client.ts';

export interface LoginDialogOptions {
  dialogUrl: string;
  apiVersion: string;
  redirectUri: string;
  scopes: readonly string[];
  loginConfigId: string | null;
}

/** The login dialog URL. The redirect URI is fixed; everything dynamic travels in `state` (R5). */
export function createAuthorizationURL(client: GraphClient, opts: LoginDialogOptions, state: string): string {
  const url = new URL(`${opts.dialogUrl}/${opts.apiVersion}/dialog/oauth`);
  url.searchParams.set('client_id', client.appId);
  url.searchParams.set('redirect_uri', opts.redirectUri);
  url.searchParams.set('state', state);
  url.searchParams.set('response_type', 'code');
  // Facebook Login for Business: the configuration defines the permissions; never send both.
  if (opts.loginConfigId) url.searchParams.set('config_id', opts.loginConfigId);
  else url.searchParams.set('scope', opts.scopes.join(','));
  return url.toString();
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
});

export interface UserToken {
  accessToken: string;
  /** Seconds; absent for tokens that do not expire. */
  expiresIn: number | null;
}

/** Code → user token. POSTed, with the byte-identical redirect_uri; never retried once sent (R29). */
export async function exchangeCode(
  client: GraphClient,
  code: string,
  redirectUri: string,
  appSecret: string,
) {
  const r = await client.request({
    method: 'POST',
    path: 'oauth/access_token',
    endpoint: 'oauth.code',
    retry: 'connect-only',
    params: { client_id: client.appId, client_secret: appSecret, redirect_uri: redirectUri, code },
    schema: tokenResponse,
  });
  return { accessToken: r.access_token, expiresIn: r.expires_in ?? null } satisfies UserToken;
}

/**
 * Short-lived user token → the 60-day one, from which Page tokens that never expire are derived.
 * POSTed so that client_secret and the token travel in the body, not the URL (R19): Meta documents
 * this exchange as a GET, but `oauth/access_token` takes the same parameters form-encoded in a POST
 * (reference §2: laravel/socialite#385, passport-facebook) — the code exchange above relies on it too.
 */
export async function exchangeLongLived(client: GraphClient, shortLived: string, appSecret: string) {
  const r = await client.request({
    method: 'POST',
    path: 'oauth/access_token',
    endpoint: 'oauth.exchange',
    params: {
      grant_type: 'fb_exchange_token',
      client_id: client.appId,
      client_secret: appSecret,
      fb_exchange_token: shortLived,
    },
    schema: tokenResponse,
  });
  return { accessToken: r.access_token, expiresIn: r.expires_in ?? null } satisfies UserToken;
}

const debugTokenResponse = z.object({
  data: z.object({
    app_id: z.string().optional(),
    is_valid: z.boolean(),
    user_id: z.string().optional(),
    expires_at: z.number().optional(),
    data_access_expires_at: z.number().optional(),
    scopes: z.array(z.string()).optional(),
    granular_scopes: z
      .array(z.object({ scope: z.string(), target_ids: z.array(z.string()).optional() }))
      .optional(),
  }),
});
export type TokenInfo = z.infer<typeof debugTokenResponse>['data'];

/**
 * What Meta says about a token: valid, whose, which scopes (R11). Asked with the app token, which the
 * client sends in the Authorization header. `input_token` has no secret-free form: the edge is GET-only
 * (POST answers code 100/33 "Unsupported post request", reference §13 and logly/mureo#740) and v27 no
 * longer lets new apps override the method, so it stays in the query string — the one token we send in
 * a URL, over https only (config refuses an http META_GRAPH_URL in production).
 */
export async function debugToken(client: GraphClient, inputToken: string): Promise<TokenInfo> {
  const r = await client.request({
    method: 'GET',
    path: 'debug_token',
    endpoint: 'debug_token',
    params: { input_token: inputToken },
    token: client.appToken,
    schema: debugTokenResponse,
  });
  return r.data;
}

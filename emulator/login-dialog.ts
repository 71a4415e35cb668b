// Facebook Login's dialog rules (reference §1): the app id and the exact registered redirect_uri are
// checked before anything is shown — a mismatch is an error page, never a redirect, so an attacker
// cannot bounce codes to their own URL. Consent produces a grant and a single-use code.
import type { EmulatorContext } from './context.ts';
import type { Grant } from './model.ts';

export const KNOWN_SCOPES = new Set([
  'public_profile',
  'email',
  'pages_show_list',
  'pages_messaging',
  'pages_manage_metadata',
  'pages_read_engagement',
  'pages_read_user_content',
  'pages_manage_posts',
  'pages_manage_engagement',
  'pages_messaging_subscriptions',
  'instagram_basic',
  'instagram_manage_messages',
  'instagram_manage_comments',
  'instagram_content_publish',
  'instagram_manage_insights',
  'business_management',
  'read_insights',
  'ads_management',
  'ads_read',
  'catalog_management',
]);

/** What a Facebook Login for Business configuration (config_id) grants in the emulator: everything the app needs. */
export const CONFIG_ID_SCOPES = [
  'pages_show_list',
  'pages_messaging',
  'pages_manage_metadata',
  'pages_read_engagement',
  'instagram_basic',
  'instagram_manage_messages',
  'business_management',
];

export interface DialogRequest {
  clientId: string;
  redirectUri: string;
  state: string | null;
  /** Requested permissions, public_profile included (Meta always grants it). */
  scopes: string[];
  /** With config_id (Login for Business) every permission must be granted: no per-scope opt-out. */
  configId: string | null;
}

export type DialogCheck =
  | { ok: true; request: DialogRequest }
  | { ok: false; heading: string; message: string };

const field = (params: Record<string, unknown>, name: string): string | null =>
  typeof params[name] === 'string' && params[name] !== '' ? (params[name] as string) : null;

export function checkDialogRequest(ctx: EmulatorContext, params: Record<string, unknown>): DialogCheck {
  const clientId = field(params, 'client_id');
  if (clientId !== ctx.config.appId) {
    return {
      ok: false,
      heading: 'Invalid App ID',
      message: 'The provided app ID does not look like a valid app ID.',
    };
  }
  const redirectUri = field(params, 'redirect_uri');
  if (redirectUri === null || !ctx.config.redirectUris.includes(redirectUri)) {
    return {
      ok: false,
      heading: 'URL blocked',
      message:
        "This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings. Make sure Client and Web OAuth Login are on and add all your app domains as Valid OAuth Redirect URIs.",
    };
  }
  const responseType = field(params, 'response_type') ?? 'code';
  if (responseType !== 'code') {
    return {
      ok: false,
      heading: 'Unsupported response_type',
      message: `The emulator implements the server-side code flow only (response_type=code), not "${responseType}".`,
    };
  }
  const configId = field(params, 'config_id');
  const requested = configId
    ? CONFIG_ID_SCOPES
    : (field(params, 'scope') ?? '').split(/[,\s]+/).filter((s) => s !== '');
  const unknown = requested.filter((s) => !KNOWN_SCOPES.has(s));
  if (unknown.length > 0) {
    return {
      ok: false,
      heading: 'Invalid Scopes',
      message: `Invalid Scopes: ${unknown.join(', ')}. This message is only shown to developers. Users of your app will ignore these permissions if present. Please read the documentation for valid permissions at: https://developers.facebook.com/docs/facebook-login/permissions`,
    };
  }
  const scopes = [...new Set(['public_profile', ...requested])];
  return { ok: true, request: { clientId, redirectUri, state: field(params, 'state'), scopes, configId } };
}

export interface Consent {
  personaKey: string;
  pageIds: string[];
  /** Permissions the person left ticked; ignored with config_id, where all are granted. */
  grantedScopes: string[] | null;
}

export type ConsentResult = { ok: true; location: string } | { ok: false; heading: string; message: string };

export function approve(ctx: EmulatorContext, request: DialogRequest, consent: Consent): ConsentResult {
  const persona = ctx.world.personas.get(consent.personaKey);
  if (!persona)
    return { ok: false, heading: 'Choose an account', message: 'Pick one of the test users to continue.' };
  const scopes =
    request.configId || consent.grantedScopes === null
      ? request.scopes
      : request.scopes.filter((s) => s === 'public_profile' || consent.grantedScopes?.includes(s));
  const grant: Grant = {
    userId: persona.userId,
    scopes,
    pageIds: persona.pages.filter((p) => consent.pageIds.includes(p.id)).map((p) => p.id),
    grantedAt: ctx.clock.now(),
  };
  // A new login replaces the user's previous grant, as Meta's does (field lessons §3).
  ctx.world.grants.set(persona.userId, grant);
  const code = ctx.world.codes.issue(grant, request.redirectUri);
  return { ok: true, location: redirectTo(request, [['code', code]]) };
}

export function cancel(request: DialogRequest): string {
  return redirectTo(request, [
    ['error', 'access_denied'],
    ['error_code', '200'],
    ['error_description', 'Permissions error'],
    ['error_reason', 'user_denied'],
  ]);
}

function redirectTo(request: DialogRequest, params: [string, string][]): string {
  const url = new URL(request.redirectUri);
  for (const [k, v] of params) url.searchParams.append(k, v);
  if (request.state !== null) url.searchParams.append('state', request.state);
  url.hash = '_=_';
  return url.toString();
}

// Shared setup for the emulator's tests: a real emulator on port 0, its control client, and a Graph
// caller that adds appsecret_proof the way a correct app does (or leaves it out / gets it wrong on
// purpose). Flows mirror what the app does: dialog → code → tokens → Pages → subscriptions.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { EmulatorClient } from '../client.ts';
import { type Emulator, type EmulatorOptions, startEmulator } from '../server.ts';

export const REDIRECT_URI = 'http://localhost:3000/integrations/meta-messaging/oauth/callback';
export const APP_SCOPES = [
  'pages_messaging',
  'instagram_manage_messages',
  'pages_show_list',
  'instagram_basic',
  'pages_manage_metadata',
  'business_management',
];

export interface GraphResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary Graph JSON
  body: any;
}

export interface CallOptions {
  /** false = omit appsecret_proof; a string = send that instead of the right one. */
  proof?: boolean | string;
  /** How to send parameters on POST/DELETE. */
  as?: 'query' | 'form' | 'json';
  /** Put the token in `Authorization: Bearer` instead of a parameter. */
  bearer?: boolean;
}

export class Graph {
  constructor(
    readonly emu: Emulator,
    readonly version = 'v27.0',
  ) {}

  proof(token: string): string {
    return createHmac('sha256', this.emu.appSecret).update(token).digest('hex');
  }

  get(path: string, token: string | null, params: Record<string, string> = {}, opts: CallOptions = {}) {
    return this.call('GET', path, token, params, opts);
  }

  post(path: string, token: string | null, params: Record<string, unknown> = {}, opts: CallOptions = {}) {
    return this.call('POST', path, token, params, { as: 'form', ...opts });
  }

  delete(path: string, token: string | null, params: Record<string, unknown> = {}, opts: CallOptions = {}) {
    return this.call('DELETE', path, token, params, opts);
  }

  async fetchUrl(url: string): Promise<GraphResponse> {
    return toResponse(await fetch(url));
  }

  private async call(
    method: string,
    path: string,
    token: string | null,
    params: Record<string, unknown>,
    opts: CallOptions,
  ): Promise<GraphResponse> {
    const all: Record<string, unknown> = { ...params };
    const headers: Record<string, string> = {};
    if (token !== null) {
      if (opts.bearer) headers.authorization = `Bearer ${token}`;
      else all.access_token = token;
      const isApp = token.includes('|');
      if (opts.proof === undefined ? !isApp : opts.proof !== false) {
        all.appsecret_proof = typeof opts.proof === 'string' ? opts.proof : this.proof(token);
      }
    }
    const url = new URL(
      `${this.emu.url}/${this.version ? `${this.version}/` : ''}${path.replace(/^\//, '')}`,
    );
    let body: string | undefined;
    const as = method === 'GET' ? 'query' : (opts.as ?? 'query');
    if (as === 'query') for (const [k, v] of Object.entries(all)) url.searchParams.set(k, stringify(v));
    else if (as === 'form') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(Object.entries(all).map(([k, v]) => [k, stringify(v)])).toString();
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(all);
    }
    return toResponse(await fetch(url, { method, headers, body }));
  }
}

const stringify = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

async function toResponse(res: Response): Promise<GraphResponse> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export interface TestEmulator {
  emu: Emulator;
  client: EmulatorClient;
  graph: Graph;
  appToken: string;
}

export async function startTestEmulator(opts: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ redirectUris: [REDIRECT_URI], ...opts });
  return {
    emu,
    client: new EmulatorClient(emu.url),
    graph: new Graph(emu),
    appToken: `${emu.appId}|${emu.appSecret}`,
  };
}

export function dialogUrl(
  t: TestEmulator,
  opts: { scope?: string[]; state?: string; redirectUri?: string; clientId?: string; configId?: string } = {},
): string {
  const url = new URL(`${t.emu.url}/v27.0/dialog/oauth`);
  url.searchParams.set('client_id', opts.clientId ?? t.emu.appId);
  url.searchParams.set('redirect_uri', opts.redirectUri ?? REDIRECT_URI);
  url.searchParams.set('state', opts.state ?? 'state-123');
  url.searchParams.set('response_type', 'code');
  if (opts.configId) url.searchParams.set('config_id', opts.configId);
  else url.searchParams.set('scope', (opts.scope ?? APP_SCOPES).join(','));
  return url.toString();
}

export async function loginCode(
  t: TestEmulator,
  persona: string,
  opts: { scope?: string[]; pageIds?: string[]; declineScopes?: string[] } = {},
): Promise<string> {
  const location = await t.client.login(dialogUrl(t, { scope: opts.scope }), persona, opts);
  const code = new URL(location).searchParams.get('code');
  assert.ok(code, `a code in ${location}`);
  return code;
}

export async function exchangeCode(t: TestEmulator, code: string, redirectUri = REDIRECT_URI) {
  return t.graph.get('oauth/access_token', null, {
    client_id: t.emu.appId,
    client_secret: t.emu.appSecret,
    redirect_uri: redirectUri,
    code,
  });
}

/** Logs in as `persona` and returns a user token (long-lived unless asked otherwise). */
export async function userToken(
  t: TestEmulator,
  persona: string,
  opts: { scope?: string[]; pageIds?: string[]; longLived?: boolean } = {},
): Promise<string> {
  const short = await exchangeCode(t, await loginCode(t, persona, opts));
  assert.equal(short.status, 200, short.text);
  if (opts.longLived === false) return short.body.access_token;
  const long = await t.graph.get('oauth/access_token', null, {
    grant_type: 'fb_exchange_token',
    client_id: t.emu.appId,
    client_secret: t.emu.appSecret,
    fb_exchange_token: short.body.access_token,
  });
  assert.equal(long.status, 200, long.text);
  return long.body.access_token;
}

export async function pageToken(t: TestEmulator, user: string, pageId: string): Promise<string> {
  const res = await t.graph.get(pageId, user, { fields: 'access_token' });
  assert.equal(res.status, 200, res.text);
  return res.body.access_token;
}

export async function firstPageOf(t: TestEmulator, persona: string) {
  const state = await t.client.state();
  const page = state.personas.find((p) => p.key === persona)?.pages[0];
  assert.ok(page, `persona ${persona} has a page`);
  return page;
}

/** The app's whole setup for messaging: app-level subscriptions to `callbackUrl`, the Page installed. */
export async function connectForMessaging(
  t: TestEmulator,
  callbackUrl: string,
  opts: { persona?: string; pageFields?: string[]; igFields?: string[] } = {},
) {
  const page = await firstPageOf(t, opts.persona ?? 'one');
  const user = await userToken(t, opts.persona ?? 'one');
  const token = await pageToken(t, user, page.id);
  const pageFields = opts.pageFields ?? [
    'messages',
    'message_deliveries',
    'message_reads',
    'message_echoes',
    'messaging_postbacks',
  ];
  const sub = await t.graph.post(`${page.id}/subscribed_apps`, token, {
    subscribed_fields: pageFields.join(','),
  });
  assert.equal(sub.status, 200, sub.text);
  for (const [object, fields] of [
    ['page', pageFields],
    ['instagram', opts.igFields ?? ['messages', 'messaging_seen']],
  ] as const) {
    const res = await t.graph.post(`${t.emu.appId}/subscriptions`, t.appToken, {
      object,
      callback_url: callbackUrl,
      fields: fields.join(','),
      verify_token: t.emu.verifyToken,
    });
    assert.equal(res.status, 200, res.text);
  }
  return { page, user, token };
}

// Test helpers for the connection flow: start the emulator as Meta for a harness, and drive the
// whole Facebook Login round trip the way a browser does (app → dialog → consent → callback).
import { EmulatorClient } from '../../emulator/client.ts';
import { startEmulator } from '../../emulator/server.ts';
import type { MetaUnderTest } from './app-harness.ts';
import type { Browser } from './http-client.ts';

export const CALLBACK_PATH = '/integrations/meta-messaging/oauth/callback';

export interface EmulatedMeta extends MetaUnderTest {
  client: EmulatorClient;
}

let last: EmulatedMeta | null = null;

/** Harness `meta` factory: an emulator that accepts this app's redirect URI. */
export async function emulatorFor(appUrl: string): Promise<EmulatedMeta> {
  const emulator = await startEmulator({
    redirectUris: [`${appUrl}${CALLBACK_PATH}`],
    webhookRetryDelaysMs: [50, 100, 200],
    autoDeliveryMs: null,
    autoReadMs: null,
  });
  last = { ...emulator, client: new EmulatorClient(emulator.url) };
  return last;
}

export function emulated(meta: MetaUnderTest | null): EmulatedMeta {
  if (!meta || !('client' in meta)) throw new Error('this harness has no emulator');
  return meta as EmulatedMeta;
}

export interface ConnectResult {
  /** Where the app sent the browser after the callback (a URL on PUBLIC_URL). */
  location: string;
  /** The path and query of that location. */
  target: string;
  /** The callback URL Facebook redirected to (carries code and state). */
  callbackUrl: string;
  state: string;
}

/** Starts a flow in `browser`, consents in the emulator as `persona`, and follows the callback. */
export async function connectAs(
  browser: Browser,
  meta: EmulatedMeta,
  persona: string,
  opts: { cancel?: boolean; pageIds?: string[]; declineScopes?: string[] } = {},
): Promise<ConnectResult> {
  const { url } = (await browser.get<{ url: string }>('/api/integrations/meta/oauth-url')).body;
  const callbackUrl = await consent(meta, url, persona, opts);
  return followCallback(browser, callbackUrl);
}

export async function consent(
  meta: EmulatedMeta,
  dialogUrl: string,
  persona: string,
  opts: { cancel?: boolean; pageIds?: string[]; declineScopes?: string[] } = {},
): Promise<string> {
  const location = await meta.client.login(dialogUrl, persona, opts);
  return location.split('#')[0]!;
}

export async function followCallback(browser: Browser, callbackUrl: string): Promise<ConnectResult> {
  const res = await browser.get(callbackUrl);
  if (res.status !== 302) throw new Error(`callback answered ${res.status}: ${res.text.slice(0, 200)}`);
  const location = res.headers.get('location')!;
  const u = new URL(location);
  return {
    location,
    target: u.pathname + u.search,
    callbackUrl,
    state: new URL(callbackUrl).searchParams.get('state') ?? '',
  };
}

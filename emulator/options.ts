// Startup options and the two shapes they resolve to: the app's fixed identity (AppConfig) and the knobs
// tests may change at runtime through the control API (Tunables). Reset restores the startup tunables.
export interface EmulatorOptions {
  /** Default 0 (a random free port). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default '1234567890'. */
  appId?: string;
  /** Default: a fixed development secret. */
  appSecret?: string;
  /** The app's webhook verify token, used when a subscription POST carries none. */
  verifyToken?: string;
  /** Registered "Valid OAuth Redirect URIs"; the dialog requires an exact match. */
  redirectUris?: string[];
  /** Fixed latency added to every Graph call (benchmarks use 50). */
  latencyMs?: number;
  /** Backoff between attempts of a failed webhook delivery. Default [1000, 5000, 30000, 120000]. */
  webhookRetryDelaysMs?: number[];
  /** After a Send API call, emit the delivery webhook after this delay (default 300; null = never). */
  autoDeliveryMs?: number | null;
  /** After a Send API call, emit the read webhook after this delay (default 1500; null = never). */
  autoReadMs?: number | null;
  /** Injectable clock in ms; the control API can also advance emulator time. */
  now?: () => number;
  logger?: boolean;
}

export interface AppConfig {
  readonly appId: string;
  readonly appSecret: string;
  readonly appName: string;
  readonly verifyToken: string;
  readonly redirectUris: readonly string[];
  /** What an unversioned Graph call is answered as (Meta uses the app's dashboard setting). */
  readonly defaultVersion: string;
}

export interface Tunables {
  latencyMs: number;
  webhookRetryDelaysMs: number[];
  autoDeliveryMs: number | null;
  autoReadMs: number | null;
}

export const DEFAULT_APP_ID = '1234567890';
export const DEFAULT_APP_SECRET = 'e0a1b2c3d4e5f60718293a4b5c6d7e8f';
export const DEFAULT_VERIFY_TOKEN = 'parley-emulator-verify-token';
export const DEFAULT_REDIRECT_URI = 'http://localhost:3000/integrations/meta-messaging/oauth/callback';

export function resolveAppConfig(opts: EmulatorOptions): AppConfig {
  return Object.freeze({
    appId: opts.appId ?? DEFAULT_APP_ID,
    appSecret: opts.appSecret ?? DEFAULT_APP_SECRET,
    appName: 'Parley (emulator)',
    verifyToken: opts.verifyToken ?? DEFAULT_VERIFY_TOKEN,
    redirectUris: Object.freeze([...(opts.redirectUris ?? [DEFAULT_REDIRECT_URI])]),
    defaultVersion: 'v27.0',
  });
}

export function resolveTunables(opts: EmulatorOptions): Tunables {
  return {
    latencyMs: opts.latencyMs ?? 0,
    webhookRetryDelaysMs: [...(opts.webhookRetryDelaysMs ?? [1000, 5000, 30_000, 120_000])],
    autoDeliveryMs: opts.autoDeliveryMs === undefined ? 300 : opts.autoDeliveryMs,
    autoReadMs: opts.autoReadMs === undefined ? 1500 : opts.autoReadMs,
  };
}

// Sandbox mode (no Meta app configured): start the Meta emulator beside the app and point the app at
// it, so a newcomer can click through the whole flow offline. Never in production (config refuses).
// The emulator's control API forges signed webhooks and deletion callbacks and fetches any URL it is
// given, so it listens on loopback whatever HOST says, and this run's app secret and verify token are
// random: nobody can sign for a sandbox with the emulator's published defaults.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from './config.ts';

export interface Sandbox {
  url: string;
  config: Readonly<Config>;
  close(): Promise<void>;
}

export async function startSandbox(config: Readonly<Config>, logger: Logger): Promise<Sandbox> {
  // Imported lazily: the emulator is a separate program that production never loads.
  const { startEmulator } = await import('../emulator/server.ts');
  const emulator = await startEmulator({
    port: config.emulatorPort,
    host: '127.0.0.1',
    appSecret: randomBytes(32).toString('hex'),
    verifyToken: randomBytes(24).toString('base64url'),
    redirectUris: [config.oauthRedirectUri],
  });
  logger.info({ url: emulator.url }, 'sandbox mode: Meta emulator started');
  const sandboxed: Config = {
    ...config,
    meta: {
      ...config.meta,
      app: { appId: emulator.appId, appSecret: emulator.appSecret, verifyToken: emulator.verifyToken },
      graphUrl: emulator.url,
      dialogUrl: emulator.url,
    },
    // The emulator is the CDN of its attachments and avatars: its address literal is listed.
    mediaHosts: [...config.mediaHosts, new URL(emulator.url).hostname],
  };
  return { url: emulator.url, config: Object.freeze(sandboxed), close: () => emulator.close() };
}

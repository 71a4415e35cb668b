// Sandbox mode (no Meta app configured): start the Meta emulator beside the app and point the app at
// it, so a newcomer can click through the whole flow offline. Never in production (config refuses).
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
    host: config.host,
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
  };
  return { url: emulator.url, config: Object.freeze(sandboxed), close: () => emulator.close() };
}

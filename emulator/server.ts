// startEmulator: the programmatic entry used by tests, benchmarks and the app's sandbox mode. It builds
// the context and the Fastify app, listens, and hands back the URL and the app credentials to configure
// the app with. main.ts is the CLI around it.
import { buildEmulatorApp } from './app.ts';
import { createContext } from './context.ts';
import { createLogger } from './logger.ts';
import type { EmulatorOptions } from './options.ts';

export type { EmulatorOptions } from './options.ts';

export interface Emulator {
  url: string;
  appId: string;
  appSecret: string;
  verifyToken: string;
  close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const ctx = createContext(opts, createLogger(opts.logger ?? false));
  const app = await buildEmulatorApp(ctx);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (opts.port ?? 0);
  // A wildcard bind is reachable on loopback; a URL must name a concrete host.
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}`,
    appId: ctx.config.appId,
    appSecret: ctx.config.appSecret,
    verifyToken: ctx.config.verifyToken,
    close() {
      closed ??= (async () => {
        ctx.close();
        await app.close();
      })();
      return closed;
    },
  };
}

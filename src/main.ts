// Process entry: loadConfig(process.env) → (sandbox: start the Meta emulator) → createDeps → buildApp
// → listen. Owns signals and graceful shutdown (ops/graceful-shutdown.ts); a configuration error exits 1
// before listening.
import { buildApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { closeDeps, createDeps } from './deps.ts';
import { createLogger } from './logger.ts';
import { installGracefulShutdown } from './ops/graceful-shutdown.ts';
import { Readiness } from './ops/readiness.ts';
import { startSandbox } from './sandbox.ts';

let config: Readonly<Config>;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Parley cannot start: configuration error in ${err.message}`);
    process.exit(1);
  }
  throw err;
}

const logger = createLogger(config.logLevel);
const sandbox = config.meta.app ? null : await startSandbox(config, logger);
const effective = sandbox ? sandbox.config : config;
const readiness = new Readiness();
const deps = { ...(await createDeps(effective, logger)), readiness };
const app = await buildApp(deps);

try {
  await app.listen({ port: effective.port, host: effective.host });
} catch (err) {
  logger.fatal({ err }, 'could not listen');
  process.exit(1);
}
console.log(`Parley is running at ${effective.publicUrl}`);
if (sandbox) console.log(`Sandbox mode: the Meta emulator is at ${sandbox.url} (play the customer there)`);

installGracefulShutdown({
  app,
  logger,
  readiness,
  drainMs: effective.shutdownDrainMs,
  closeRest: async () => {
    await closeDeps(deps);
    await sandbox?.close();
  },
});

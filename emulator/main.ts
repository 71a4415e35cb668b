// `npm run emulator`: the emulator on its own, configured from the environment (CONTRACT §2, §7).
import { DEFAULT_REDIRECT_URI } from './options.ts';
import { startEmulator } from './server.ts';

const env = process.env;
const nonEmpty = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

function port(): number {
  const raw = nonEmpty(env.EMULATOR_PORT) ?? '3001';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`EMULATOR_PORT: must be a port number (0-65535), got "${raw}"`);
    process.exit(1);
  }
  return n;
}

const emulator = await startEmulator({
  port: port(),
  host: nonEmpty(env.EMULATOR_HOST),
  appId: nonEmpty(env.META_APP_ID),
  appSecret: nonEmpty(env.META_APP_SECRET),
  verifyToken: nonEmpty(env.META_WEBHOOK_VERIFY_TOKEN),
  redirectUris: (nonEmpty(env.EMULATOR_REDIRECT_URIS) ?? DEFAULT_REDIRECT_URI)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
  logger: true,
});

console.log(`Meta emulator listening on ${emulator.url} (app id ${emulator.appId})`);
console.log(`  play the customer:  ${emulator.url}/`);
console.log(`  control API:        ${emulator.url}/_emulator/state`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}

// The server as `npm start` runs it: src/main.ts bundled by esbuild (package.json `build:server`) and
// run by plain node. Tests that start real processes build their own copy once per test process, from
// the sources as they are now (never a stale dist-server/), under a name no other test process uses.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = new URL('../..', import.meta.url).pathname;
let built: Promise<string> | null = null;

/** Path of a fresh bundle of src/main.ts, built on first use and deleted when this process exits. */
export function serverEntry(): Promise<string> {
  built ??= (async () => {
    // Inside the checkout, so the bundle's bare imports resolve from its node_modules.
    const outdir = join(ROOT, 'dist-server', `test-${process.pid}`);
    await build({
      // The processor worker is an entry of its own, found beside main.mjs at run time
      // (processor-thread.ts).
      entryPoints: [join(ROOT, 'src/main.ts'), join(ROOT, 'src/webhooks/processor-worker.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      outdir,
      entryNames: '[name]',
      outExtension: { '.js': '.mjs' },
      logLevel: 'warning',
    });
    process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
    return join(outdir, 'main.mjs');
  })();
  return built;
}

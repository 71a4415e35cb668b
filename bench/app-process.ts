// Parley as `npm start` runs it — `node dist-server/main.mjs` (the bundle `npm run build:server` makes;
// run.ts builds it first), default log level `info`, background jobs and the webhook processor on — in
// its own process (see server-process.ts for why).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchDatabase, createBenchDatabase } from './bench-database.ts';
import { benchSecrets } from './seed-organizations.ts';
import { type ServerProcess, startServerProcess } from './server-process.ts';

export interface AppProcessOptions {
  databaseUrl: string;
  meta: { appId: string; appSecret: string; verifyToken: string; graphUrl: string };
  encryptionKeys: string;
  sessionSecret: string;
  cpuProfDir?: string;
  /** Another checkout of Parley to run instead of this one (to measure a change side by side). */
  root?: string;
  /** Extra environment (e.g. LOG_LEVEL), on top of what the bench sets. */
  env?: Record<string, string>;
  /** Start again where a killed instance ran (server-process.ts). */
  restartOf?: { port: number; dir: string };
}

/**
 * How `npm start` runs the app (package.json's start script, `[NAME=value …] node <options>
 * dist-server/main.mjs`): its environment assignments and node options, read from there so the bench
 * measures what users run. BENCH_APP_NODE_ARGS replaces the options to compare other settings side by
 * side.
 */
export function startCommand(root = new URL('..', import.meta.url).pathname): {
  env: Record<string, string>;
  nodeArgs: string[];
} {
  const start: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start;
  const m = /((?:\b[A-Z_][A-Z0-9_]*=\S+\s+)*)\bnode((?:\s+--\S+)*)\s+dist-server\/main\.mjs/.exec(start);
  if (!m) throw new Error(`package.json's start script does not run node … dist-server/main.mjs: ${start}`);
  const env = Object.fromEntries(
    m[1]!
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  const override = process.env.BENCH_APP_NODE_ARGS;
  const nodeArgs = (override ?? m[2]!).trim().split(/\s+/).filter(Boolean);
  return { env, nodeArgs };
}

export function startAppProcess(o: AppProcessOptions): Promise<ServerProcess> {
  const start = startCommand(o.root);
  return startServerProcess({
    nodeArgs: start.nodeArgs,
    // A profiled run uses the sources through tsx instead, so the profile names src/ files and lines.
    entry: o.cpuProfDir ? 'src/main.ts' : 'dist-server/main.mjs',
    cpuProfDir: o.cpuProfDir,
    cwd: o.root,
    restartOf: o.restartOf,
    env: (url, port, dir) => ({
      ...start.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATABASE_URL: o.databaseUrl,
      META_APP_ID: o.meta.appId,
      META_APP_SECRET: o.meta.appSecret,
      META_WEBHOOK_VERIFY_TOKEN: o.meta.verifyToken,
      META_GRAPH_URL: o.meta.graphUrl,
      META_DIALOG_URL: o.meta.graphUrl,
      ENCRYPTION_KEYS: o.encryptionKeys,
      SESSION_SECRET: o.sessionSecret,
      PARLEY_DATA_DIR: dir,
      // To compare the two ways of processing side by side (src/config.ts).
      ...(process.env.WEBHOOK_PROCESSING ? { WEBHOOK_PROCESSING: process.env.WEBHOOK_PROCESSING } : {}),
      ...(o.env ?? {}),
    }),
  });
}

/**
 * A fresh bench database of `kind` and the app on it, configured for `meta` (the emulator) with fresh
 * secrets; profiled into `cpuProfDir/<section>-<kind>` when profiling. The caller stops both.
 * `restart(app)` starts the same configuration again on the port and scratch directory of `app` (once
 * it has been killed).
 */
export async function startBenchApp(
  kind: 'sqlite' | 'postgres',
  meta: { appId: string; appSecret: string; verifyToken: string; url: string },
  o: { section: string; appRoot?: string; cpuProfDir?: string; env?: Record<string, string> },
): Promise<{
  db: BenchDatabase;
  app: ServerProcess;
  secrets: ReturnType<typeof benchSecrets>;
  restart: (killed: ServerProcess) => Promise<ServerProcess>;
}> {
  const db = await createBenchDatabase(kind);
  const secrets = benchSecrets();
  const options: AppProcessOptions = {
    databaseUrl: db.databaseUrl,
    meta: { appId: meta.appId, appSecret: meta.appSecret, verifyToken: meta.verifyToken, graphUrl: meta.url },
    ...secrets,
    root: o.appRoot,
    cpuProfDir: o.cpuProfDir && join(o.cpuProfDir, `${o.section}-${kind}`),
    env: o.env,
  };
  const app = await startAppProcess(options);
  const restart = (killed: ServerProcess) =>
    startAppProcess({ ...options, restartOf: { port: Number(new URL(killed.url).port), dir: killed.dir } });
  return { db, app, secrets, restart };
}

// Parley as `npm start` runs it — `node dist-server/main.mjs` (the bundle `npm run build:server` makes;
// run.ts builds it first), default log level `info`, background jobs and the webhook processor on — in
// its own process (see server-process.ts for why).
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
}

export function startAppProcess(o: AppProcessOptions): Promise<ServerProcess> {
  return startServerProcess({
    // A profiled run uses the sources through tsx instead, so the profile names src/ files and lines.
    entry: o.cpuProfDir ? 'src/main.ts' : 'dist-server/main.mjs',
    cpuProfDir: o.cpuProfDir,
    cwd: o.root,
    env: (url, port, dir) => ({
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
      ...(o.env ?? {}),
    }),
  });
}

// Parley as it runs in production — src/main.ts bundled as `npm start` bundles it, run by plain node —
// in its own process, configured only through the environment, for tests that kill, stop or restart
// an instance. Ready once it prints "Parley is running"; its output is kept (the last 64 kB) to explain
// a failure.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serverEntry } from './server-entry.ts';
import { onTermination } from './termination.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEEP_OUTPUT = 64 * 1024;

export interface AppProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface AppProcessOptions {
  /** Everything besides PORT (and HOST, 127.0.0.1). */
  env: Record<string, string>;
  port: number;
  readyTimeoutMs?: number;
}

/**
 * A port free now, for a server that binds it a moment later. Picked below Linux's ephemeral range
 * (32768–60999), where listen(0) would pick: in between, any outgoing connection (a database client,
 * Chromium) may be handed an ephemeral port as its own, and a CI run lost a browser suite to
 * EADDRINUSE that way. At random, so concurrent test files seldom try the same one; a taken one is
 * skipped.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}

function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The secrets every instance of one deployment shares. */
export function deploymentSecrets() {
  return {
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
  };
}

export async function startAppProcess(opts: AppProcessOptions): Promise<AppProcess> {
  const child = spawn(process.execPath, [await serverEntry()], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TMPDIR: process.env.TMPDIR ?? '/tmp',
      LOG_LEVEL: 'warn',
      ...opts.env,
      PORT: String(opts.port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forget = onTermination(() => child.kill('SIGKILL'));
  child.once('exit', () => forget());
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-KEEP_OUTPUT);
  };
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (out.includes('Parley is running')) resolve();
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`app exited before ready (${code ?? signal}):\n${out.slice(-4000)}`)),
    );
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`app not ready after ${opts.readyTimeoutMs ?? 45_000} ms:\n${out.slice(-4000)}`)),
      opts.readyTimeoutMs ?? 45_000,
    );
  });
  try {
    await Promise.race([ready, timeout]);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    url: `http://127.0.0.1:${opts.port}`,
    port: opts.port,
    pid: child.pid!,
    child,
    exited,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

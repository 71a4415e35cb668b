// Runs a server entry (`node --import tsx <entry>`) in its own process on a reserved 127.0.0.1 port and
// waits for GET /healthz. Load generators run in the bench process: on 2 cores, a server sharing the
// generator's event loop would be charged the generator's CPU (and vice versa), so every load figure is
// taken across a process boundary, as Meta's servers reach a deployed app. Output goes to a file (not a
// pipe this process would have to drain); its tail is shown if the server fails to start. (The tests'
// test/support/app-process.ts pipes the app's output into the test process instead: right for tests,
// wrong for a load generator, which would spend its CPU draining the app's request logs.)
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/app-process.ts';

/** Children still running: killed if the bench itself ends early (Ctrl-C, a crash, a closed pipe). */
const running = new Set<ChildProcess>();
let guarded = false;
function guardChildren() {
  if (guarded) return;
  guarded = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => process.exit(130));
  }
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** A scratch directory that lives as long as the process. */
  dir: string;
  /** SIGTERM, then SIGKILL after `graceMs` (a profiled process needs its clean exit to write the profile). */
  stop(graceMs?: number): Promise<void>;
  /** kill -9 at once, as a crash or the OOM killer ends it; resolves once it has exited (the soak). */
  kill(): Promise<void>;
}

export async function startServerProcess(o: {
  entry: string;
  env: (url: string, port: number, dir: string) => Record<string, string>;
  /** Node options before the entry (the app's are those of `npm start`: app-process.ts). */
  nodeArgs?: string[];
  /** Write a V8 CPU profile (`--cpu-prof`) into this directory when the process exits. */
  cpuProfDir?: string;
  /** Where to run it (default: this checkout); another checkout lets a change be compared. */
  cwd?: string;
  /**
   * A restart of an instance that was killed: the same port (Meta keeps posting to one address) and the
   * same scratch directory, which the caller then owns (not deleted on stop).
   */
  restartOf?: { port: number; dir: string };
}): Promise<ServerProcess> {
  const port = o.restartOf?.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const dir = o.restartOf?.dir ?? mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const logFile = join(dir, 'server.log');
  const fd = openSync(logFile, o.restartOf ? 'a' : 'w');
  // A TypeScript entry runs through tsx; a built one (.mjs) by plain node, as npm start runs it.
  const args = [...(o.nodeArgs ?? []), ...(o.entry.endsWith('.ts') ? ['--import', 'tsx'] : [])];
  if (o.cpuProfDir) args.push('--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`);
  args.push(o.entry);
  const child = spawn(process.execPath, args, {
    cwd: o.cwd ?? new URL('..', import.meta.url).pathname,
    stdio: ['ignore', fd, fd],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...o.env(url, port, dir) },
  });
  closeSync(fd);
  guardChildren();
  running.add(child);
  let exitCode: number | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      exitCode = code ?? -1;
      resolve();
    }),
  );
  const cleanup = () => {
    if (!o.restartOf) rmSync(dir, { recursive: true, force: true });
  };
  const spawnedAt = performance.now();
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exitCode !== null || Date.now() > deadline) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
      child.kill('SIGKILL');
      cleanup();
      throw new Error(`${o.entry} did not start (exit ${exitCode}):\n${tail}`);
    }
    const up = await fetch(`${url}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (o.cpuProfDir) {
    // The profile starts at spawn; its reader skips the start-up (module loading) by this much.
    mkdirSync(o.cpuProfDir, { recursive: true });
    writeFileSync(
      join(o.cpuProfDir, 'startup.json'),
      JSON.stringify({ readyS: (performance.now() - spawnedAt) / 1000 }),
    );
  }
  return {
    url,
    pid: child.pid!,
    dir,
    async stop(graceMs = 5_000) {
      if (exitCode === null) {
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(force);
      }
      cleanup();
    },
    async kill() {
      if (exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

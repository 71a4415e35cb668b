// What a test starts outside its own process — app processes, a private PostgreSQL cluster — must not
// outlive it, even when node:test cancels the file (a timeout ends it with a signal, and `after` hooks do
// not run then). Each registers a synchronous cleanup here; all run on exit or on the first signal.
const cleanups = new Set<() => void>();
let installed = false;

export function onTermination(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', runAll);
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      process.once(signal, () => {
        runAll();
        process.exit(1);
      });
    }
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // best effort: the others still run
    }
  }
  cleanups.clear();
}

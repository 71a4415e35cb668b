// Open-model load (wrk2 / k6 "constant-arrival-rate"): request i is due at start + i/rate whatever the
// server does, and its latency runs from that scheduled time to the end of the answer — so a server that
// stalls is charged for every request that waited behind the stall (no coordinated omission). A warm-up
// precedes the measured window; requests are bounded in count, each has a timeout, and the drain after
// the last send is bounded too. How late the generator itself sent (send lag) is reported beside the
// latency, to show the figures are the server's and not the generator's.
//
// The generator runs in a worker thread of its own, with the requests made beforehand. The bench's
// process also holds the Meta emulator and the data it loaded, and its major garbage collections
// (26–34 ms, seen with a PerformanceObserver) paused the generator in the middle of the inbox runs:
// answers that had arrived were timed when the pause ended, and the app was charged for it (slow spells
// of 30–52 ms lined up with them). A pause before the send shows as send lag; one after it did not.
import { Worker } from 'node:worker_threads';
import { Pool } from 'undici';
import { type LatencySummary, round, summarize } from './stats.ts';

export interface OpenRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Requests of one kind, timed apart as well (`byLabel`), to see which kind makes the tail. */
  label?: string;
}

export interface OpenLoadOptions {
  origin: string;
  /** Requests per second. */
  rate: number;
  warmupS: number;
  durationS: number;
  next: (i: number) => OpenRequest;
  /** Connections the generator may open (concurrency ceiling); beyond it requests queue, still timed. */
  connections?: number;
  timeoutMs?: number;
  drainTimeoutMs?: number;
}

/** What the worker thread is given: the options without `next`, and every request already made. */
export type OpenLoadPlan = Omit<OpenLoadOptions, 'next'> & { requests: OpenRequest[] };

export interface OpenLoadResult {
  rate: number;
  durationS: number;
  /** Requests scheduled in the measured window. */
  measured: number;
  ok: number;
  failed: number;
  /** Successful answers per second over the measured window (≈ rate when the server keeps up). */
  achievedPerS: number;
  latencyMs: LatencySummary;
  sendLagMs: { p99: number; max: number };
  /** Latency per OpenRequest.label, when requests carry one. */
  byLabel?: Record<string, LatencySummary>;
}

export async function openLoad(o: OpenLoadOptions): Promise<OpenLoadResult> {
  const { next, ...options } = o;
  const total = Math.round(o.rate * o.warmupS) + Math.round(o.rate * o.durationS);
  const plan: OpenLoadPlan = { ...options, requests: Array.from({ length: total }, (_, i) => next(i)) };
  // A worker does not inherit the tsx loader: the app's boot file registers it, then imports the entry.
  const worker = new Worker(new URL('../src/webhooks/ts-worker-boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./open-load-worker.ts', import.meta.url).href, plan },
  });
  try {
    return await new Promise<OpenLoadResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`open-load worker exited (${code}) before answering`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** The open-model loop itself, run by open-load-worker.ts. */
export async function runOpenLoad(o: OpenLoadPlan): Promise<OpenLoadResult> {
  const pool = new Pool(o.origin, {
    connections: o.connections ?? 256,
    pipelining: 1,
    headersTimeout: o.timeoutMs ?? 10_000,
    bodyTimeout: o.timeoutMs ?? 10_000,
  });
  const warmup = Math.round(o.rate * o.warmupS);
  const total = warmup + Math.round(o.rate * o.durationS);
  const interval = 1000 / o.rate;
  const latencies: number[] = [];
  const sendLags: number[] = [];
  const labelled = new Map<string, number[]>();
  let ok = 0;
  let failed = 0;
  let lastDone = 0;
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  const fire = (i: number, scheduled: number) => {
    const req = o.requests[i]!;
    const sent = performance.now();
    const p = pool
      .request({ method: req.method, path: req.path, headers: req.headers, body: req.body })
      .then(async (res) => {
        await res.body.dump();
        const done = performance.now();
        if (i < warmup || closed) return;
        sendLags.push(sent - scheduled);
        if (res.statusCode >= 200 && res.statusCode < 300) {
          ok++;
          latencies.push(done - scheduled);
          if (req.label !== undefined) {
            const list = labelled.get(req.label) ?? [];
            list.push(done - scheduled);
            labelled.set(req.label, list);
          }
          lastDone = Math.max(lastDone, done);
        } else {
          failed++;
        }
      })
      .catch(() => {
        if (i >= warmup && !closed) failed++;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  const start = performance.now() + 20;
  let i = 0;
  while (i < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - start) / interval) + 1);
    for (; i < due; i++) fire(i, start + i * interval);
    const wait = start + i * interval - performance.now();
    await new Promise((r) => (wait > 1 ? setTimeout(r, Math.min(wait, 5)) : setImmediate(r)));
  }
  const drain = Promise.allSettled([...inFlight]);
  const limit = new Promise((r) => setTimeout(r, o.drainTimeoutMs ?? 15_000).unref());
  await Promise.race([drain, limit]);
  const unfinished = inFlight.size;
  closed = true;
  await pool.destroy();
  const windowStart = start + warmup * interval;
  const windowS = Math.max(o.durationS, (lastDone - windowStart) / 1000);
  const lag = summarize(sendLags);
  return {
    rate: o.rate,
    durationS: o.durationS,
    measured: total - warmup,
    ok,
    failed: failed + unfinished,
    achievedPerS: round(ok / windowS, 0),
    latencyMs: summarize(latencies),
    sendLagMs: { p99: lag.p99, max: lag.max },
    ...(labelled.size > 0
      ? { byLabel: Object.fromEntries([...labelled].map(([k, v]) => [k, summarize(v)])) }
      : {}),
  };
}

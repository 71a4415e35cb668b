// `node --import tsx bench/burst-drain.ts`: one burst and its drain, for comparing a change side by side
// with another checkout (issue 15, fourth pass; bench/results/profile.md). Not part of `npm run bench`:
// it writes no results, it prints one line.
//
// The app as `npm start` runs it, 10 connected Pages, single-event deliveries over 2,000 customers: a
// 2 s warm-up burst (it creates the conversations) and its drain, then a 6 s closed burst at 50
// connections. It prints the receiver's rate, the backlog left when the burst ended, the drain after it
// in events per second, and the CPU per event of the busiest threads while draining
// (/proc/<pid>/task/<tid>/stat; "main" is the event loop, "t" another thread — the processor is the
// busiest). BURST_DATABASE=sqlite|postgres (sqlite); BENCH_APP_ROOT=<checkout> runs another checkout's
// build (run `npm run build:server` there first). Alternate the two: a single run on a shared VM says
// little.
//
// BURST_PRELOAD=N first stores N more events as batched deliveries of 100 (10 at a time) and waits for
// their drain, so the burst meets a database at size: the full bench's burst comes after about 170,000
// events on the same conversations. For the busiest threads it also prints the time on a CPU, waiting
// for one, and off it (/proc/<pid>/task/<tid>/schedstat: disk syncs, waits). BURST_WAL=1 (SQLite) names
// the B-trees of the WAL frames written since the burst's end (bench/wal-frames.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { startEmulator } from '../emulator/server.ts';
import { WEBHOOK_PATH } from '../src/webhooks/webhook-routes.ts';
import { startBenchApp } from './app-process.ts';
import { dropBenchDatabase } from './bench-database.ts';
import { closedLoad } from './closed-load.ts';
import { seedOrganizations } from './seed-organizations.ts';
import { walFrames } from './wal-frames.ts';
import { WebhookBodies } from './webhook-bodies.ts';
import { messagesStored, pending } from './webhook-ingestion.ts';

const root = process.env.BENCH_APP_ROOT || undefined;
const kind = process.env.BURST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
const preload = Number(process.env.BURST_PRELOAD ?? 0);

/** CPU ticks (1/100 s) of each thread of `pid`, by thread id. */
function threadTicks(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, Number(f[11]) + Number(f[12]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Per thread: nanoseconds on a CPU, waiting on the run queue (schedstat), by thread id. */
function threadSched(pid: number): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
      out.set(tid, [run!, wait!]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const meta = await startEmulator({ autoDeliveryMs: null, autoReadMs: null });
const { app, db, secrets } = await startBenchApp(kind, meta, { section: 'burst', appRoot: root });
try {
  const orgs = await seedOrganizations(app.url, db, {
    count: 10,
    encryptionKeys: secrets.encryptionKeys,
    connect: true,
  });
  const bodies = new WebhookBodies(
    meta.appSecret,
    orgs.map((o) => o.pageId),
  );
  const load = {
    url: app.url,
    path: WEBHOOK_PATH,
    connections: 50,
    timeoutS: 10,
    next: bodies.pool(100_000, 1),
  };
  await closedLoad({ ...load, durationS: 2 });
  while ((await pending(db)) > 0) await sleep(200);
  if (preload > 0) {
    const next = bodies.pool(Math.ceil(preload / 100), 100);
    let left = Math.ceil(preload / 100);
    const post = async () => {
      while (left-- > 0) {
        const b = next();
        const r = await fetch(`${app.url}${WEBHOOK_PATH}`, {
          method: 'POST',
          body: new Uint8Array(b.body),
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': b.signature },
        });
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`preload: ${r.status}`);
      }
    };
    await Promise.all(Array.from({ length: 10 }, post));
    while ((await pending(db)) > 0) await sleep(200);
  }

  const burst = await closedLoad({ ...load, durationS: 6 });
  const t0 = performance.now();
  const before = await messagesStored(db);
  const ticks0 = threadTicks(app.pid);
  const sched0 = threadSched(app.pid);
  const walFrom = db.test.config.kind === 'sqlite' ? statSync(`${db.test.config.path}-wal`).size : 0;
  const backlog = await pending(db);
  while ((await pending(db)) > 0) await sleep(100);
  const seconds = (performance.now() - t0) / 1000;
  const events = (await messagesStored(db)) - before;
  const ticks1 = threadTicks(app.pid);
  const sched1 = threadSched(app.pid);
  const perEvent = [...ticks1]
    .map(([tid, t]) => [tid, t - (ticks0.get(tid) ?? 0)] as const)
    .filter(([, t]) => t > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([tid, t]) => `${tid === String(app.pid) ? 'main' : 't'} ${Math.round((t * 10_000) / events)} µs`)
    .join(', ');
  const busiest = [...sched1]
    .map(([tid, [run, wait]]) => {
      const [run0, wait0] = sched0.get(tid) ?? [0, 0];
      return { tid, run: (run - run0) / 1e9, wait: (wait - wait0) / 1e9 };
    })
    .filter((t) => t.run > 0.3 * seconds)
    .map(
      (t) =>
        `${t.tid === String(app.pid) ? 'main' : 't'} on a CPU ${t.run.toFixed(2)} s, waiting for one ${t.wait.toFixed(2)} s, off ${(seconds - t.run - t.wait).toFixed(2)} s`,
    );
  console.log(
    `${root ?? 'this checkout'} on ${kind}${preload ? ` after ${preload} more events` : ''}: receiver ${burst.requestsPerS} req/s; backlog ${backlog} at the burst's end; ` +
      `drain ${events} events in ${seconds.toFixed(1)} s = ${Math.round(events / seconds)} events/s; CPU per event ${perEvent}; of the drain's ${seconds.toFixed(1)} s: ${busiest.join('; ')}`,
  );
  if (process.env.BURST_WAL === '1' && db.test.config.kind === 'sqlite') {
    const w = walFrames(db.test.config.path, walFrom);
    const scope = w.restarted ? 'the WAL generation since its last restart' : 'the WAL since the burst ended';
    console.log(
      `${scope}: ${w.frames} frames, ${w.commits} commits; by B-tree: ${w.byTree
        .slice(0, 12)
        .map((t) => `${t.name} ${t.frames}`)
        .join(', ')}`,
    );
  }
} finally {
  await app.stop();
  // Each run's PostgreSQL schema (or SQLite file) would otherwise stay behind.
  await dropBenchDatabase(db);
}
process.exit(0);

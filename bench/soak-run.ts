// One database's soak: a fresh database and the app on it (as `npm start` runs it, bench/app-process.ts),
// one organization with a connected Page and Instagram account, then the burst — every delivery sent
// `copies` times by SoakSender while the app is killed with SIGKILL `kills` times, spread evenly over the
// burst by progress (kill k when k/(kills+1) of the sends are done), each kill followed by a restart on
// the same port that counts as done once /readyz answers 200. Then processing drains (the stored
// messages reach the acknowledged events, or stop growing for longer than a processing lease, or the
// drain bound passes) and the database is compared with the sender's ledger (soak-check.ts).
import { rmSync } from 'node:fs';
import { startBenchApp } from './app-process.ts';
import { seedOrganizations } from './seed-organizations.ts';
import type { ServerProcess } from './server-process.ts';
import { checkSoak, type SoakVerdict } from './soak-check.ts';
import { sendOrder, soakDeliveries } from './soak-deliveries.ts';
import { SoakSender } from './soak-sender.ts';
import { countStoredMids, storedMidCounts } from './soak-store.ts';
import { median, round } from './stats.ts';
import { judge, type Target } from './targets.ts';

export interface SoakScale {
  events: number;
  kills: number;
  copies: number;
  /** Events more, in deliveries sent once (see sendOrder). */
  canaryEvents: number;
  concurrency: number;
  requestTimeoutMs: number;
  /** Sends still unacknowledged this long after the burst started are given up (never acked). */
  burstBudgetS: number;
  drainTimeoutS: number;
  /** No new message for this long ends the drain early: longer than a killed instance's 60 s lease. */
  drainStallS: number;
}

export interface SoakCounts {
  events: number;
  /** Deliveries sent `copies` times, and deliveries sent once (canaries). */
  deliveries: { repeated: number; once: number };
  sends: number;
  posts: number;
  retries: number;
  answered2xx: number;
  answered5xx: number;
  answeredOther: number;
  noAnswer: number;
  kills: number;
  restartS: { median: number; max: number };
  burstS: number;
  eventsPerS: number;
  postsPerS: number;
  drainS: number;
  drained: boolean;
  messageRows: number;
}

export interface SoakDatabaseResult {
  database: 'sqlite' | 'postgres';
  verdict: SoakVerdict;
  /** The deliveries sent once only (their events are in `verdict` too). */
  canaryVerdict: SoakVerdict;
  counts: SoakCounts;
  targets: Target[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(
  kind: 'sqlite' | 'postgres',
  scale: SoakScale,
  meta: { appId: string; appSecret: string; verifyToken: string; url: string },
  log: (line: string) => void,
  appRoot?: string,
): Promise<SoakDatabaseResult> {
  const { db, app: first, secrets, restart } = await startBenchApp(kind, meta, { section: 'soak', appRoot });
  let app: ServerProcess = first;
  let soak: SoakSender | undefined;
  try {
    const [org] = await seedOrganizations(app.url, db, {
      count: 1,
      encryptionKeys: secrets.encryptionKeys,
      connect: true,
      instagram: true,
    });
    const account = { pageId: org!.pageId, igId: org!.igId! };
    const repeated = soakDeliveries(account, scale.events);
    const canaries = soakDeliveries(account, scale.canaryEvents, repeated.length);
    const deliveries = [...repeated, ...canaries];
    const order = sendOrder(repeated.length, scale.copies, canaries.length);
    const sender = new SoakSender({
      url: first.url,
      secret: meta.appSecret,
      deliveries,
      concurrency: scale.concurrency,
      timeoutMs: scale.requestTimeoutMs,
    });
    soak = sender;
    log(
      `soak ${kind}: ${scale.events} events in ${deliveries.length} deliveries × ${scale.copies}, ${scale.kills} kills`,
    );

    const started = performance.now();
    let burstOver = false;
    const burst = sender.run(order, Date.now() + scale.burstBudgetS * 1000).finally(() => {
      burstOver = true;
    });
    const restartMs: number[] = [];
    const chaos = async () => {
      for (let k = 0; k < scale.kills; k++) {
        const at = Math.floor(((k + 1) / (scale.kills + 1)) * order.length);
        while (!burstOver && sender.finished < at) await sleep(10);
        if (burstOver) return;
        await app.kill();
        const t = performance.now();
        app = await restartReady(restart, app);
        restartMs.push(performance.now() - t);
        log(
          `soak ${kind}: kill ${k + 1} at ${sender.finished}/${order.length} sends, back in ${round((performance.now() - t) / 1000, 1)} s`,
        );
      }
    };
    await Promise.all([burst, chaos()]);
    const burstS = (performance.now() - started) / 1000;
    const ledger = sender.ledger();
    const acked = new Set(ledger.filter((d) => d.acks > 0).flatMap((d) => d.mids)).size;
    log(`soak ${kind}: burst over in ${round(burstS, 1)} s; draining (${acked} events acknowledged)`);
    const drainStarted = performance.now();
    let drained = false;
    let rows = -1;
    let lastGrowth = performance.now();
    for (;;) {
      const n = await countStoredMids(db);
      if (n >= acked) {
        drained = true;
        break;
      }
      if (n !== rows) {
        rows = n;
        lastGrowth = performance.now();
      }
      const now = performance.now();
      if (now - lastGrowth > scale.drainStallS * 1000 || now - drainStarted > scale.drainTimeoutS * 1000)
        break;
      await sleep(500);
    }
    const drainS = (performance.now() - drainStarted) / 1000;
    const stored = await storedMidCounts(db);
    const verdict = checkSoak(ledger, stored);
    const canaryVerdict = checkSoak(ledger.slice(repeated.length), stored);
    const statuses = [...sender.statuses];
    const sum = (f: (s: number) => boolean) => statuses.filter(([s]) => f(s)).reduce((n, [, c]) => n + c, 0);
    const counts: SoakCounts = {
      events: verdict.events,
      deliveries: { repeated: repeated.length, once: canaries.length },
      sends: order.length,
      posts: sender.posts,
      retries: sender.retries,
      answered2xx: sum((s) => s >= 200 && s < 300),
      answered5xx: sum((s) => s >= 500),
      answeredOther: sum((s) => s !== 0 && (s < 200 || (s >= 300 && s < 500))),
      noAnswer: sum((s) => s === 0),
      kills: restartMs.length,
      restartS: {
        median: round(median(restartMs) / 1000, 2),
        max: round(Math.max(0, ...restartMs) / 1000, 2),
      },
      burstS: round(burstS, 1),
      eventsPerS: Math.round(verdict.events / burstS),
      postsPerS: Math.round(sender.posts / burstS),
      drainS: round(drainS, 1),
      drained,
      messageRows: [...stored.values()].reduce((a, b) => a + b, 0),
    };
    log(`soak ${kind}: ${JSON.stringify({ ...verdict, drained, drainS: counts.drainS })}`);
    return {
      database: kind,
      verdict,
      canaryVerdict,
      counts,
      targets: targetsOf(kind, scale, verdict, canaryVerdict, counts),
    };
  } finally {
    soak?.close();
    await app.stop(2_000);
    rmSync(first.dir, { recursive: true, force: true });
    await db.test.drop();
  }
}

/** Restarts a killed instance and waits until it is ready for traffic; one more try if it fails to start. */
async function restartReady(
  restart: (killed: ServerProcess) => Promise<ServerProcess>,
  killed: ServerProcess,
): Promise<ServerProcess> {
  const app = await restart(killed).catch(() => restart(killed));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`${app.url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return app;
    await sleep(50);
  }
  throw new Error(`restarted app not ready after 30 s (${app.url})`);
}

function targetsOf(
  kind: string,
  scale: SoakScale,
  v: SoakVerdict,
  canaries: SoakVerdict,
  c: SoakCounts,
): Target[] {
  const drainNote = c.drained
    ? undefined
    : `processing had not drained after ${c.drainS} s: what was not yet processed counts as lost`;
  return [
    judge(
      `${kind}: ${scale.kills} kill -9 of the app during the burst, each followed by a restart`,
      `${c.kills} kills, back (readyz 200) in median ${c.restartS.median} s, max ${c.restartS.max} s`,
      c.kills === scale.kills,
    ),
    judge(
      `${kind}: 0 acknowledged events lost`,
      `${v.lost} of ${v.ackedEvents} acknowledged events missing (${v.neverAcked} never acknowledged)`,
      v.lost === 0,
      drainNote,
    ),
    judge(
      `${kind}: 0 duplicated messages`,
      `${v.duplicated} mids stored more than once (${c.messageRows} message rows for ${v.storedEvents} events; ${v.unexpected} unexpected)`,
      v.duplicated === 0 && v.unexpected === 0,
    ),
    judge(
      `${kind}: 0 false 2xx`,
      `${v.false2xx} of ${c.answered2xx} 2xx answers for a delivery not stored (of them for deliveries sent once: ${canaries.false2xx})`,
      v.false2xx === 0 && canaries.false2xx === 0,
      drainNote,
    ),
  ];
}

// `npm run soak`: the durability soak (issue 15, target 7; F2, F4). On SQLite, then PostgreSQL: 50,000
// webhook events, every delivery posted three times (Meta redelivers), while the app is killed with
// SIGKILL 20 times and restarted (bench/soak-run.ts); then 0 acknowledged events lost, 0 duplicated
// messages and 0 false 2xx are checked in the database. Writes bench/results/soak.{json,md}.
// Overrides for a quick run (written to soak-quick.* instead, never replacing soak.*):
// SOAK_EVENTS=2000 SOAK_KILLS=3 npm run soak; also SOAK_DATABASES=sqlite, SOAK_CONCURRENCY (48),
// SOAK_APP_ROOT (below).
// Not part of npm test or CI: it takes several minutes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/server.ts';
import { type SoakResults, soakMarkdown, soakTable } from './soak-report.ts';
import { runSoak, type SoakScale } from './soak-run.ts';
import { round } from './stats.ts';
import { collectTargets } from './targets.ts';

const FULL = { events: 50_000, kills: 20 };
const env = process.env;
const scale: SoakScale = {
  events: Number(env.SOAK_EVENTS ?? FULL.events),
  kills: Number(env.SOAK_KILLS ?? FULL.kills),
  copies: 3,
  canaryEvents: Math.round(Number(env.SOAK_EVENTS ?? FULL.events) / 20),
  concurrency: Number(env.SOAK_CONCURRENCY ?? 48),
  requestTimeoutMs: 10_000,
  burstBudgetS: 30 * 60,
  drainTimeoutS: 20 * 60,
  drainStallS: 90,
};
const databases = (env.SOAK_DATABASES ?? 'sqlite,postgres')
  .split(',')
  .filter((d): d is 'sqlite' | 'postgres' => d === 'sqlite' || d === 'postgres');
// SOAK_APP_ROOT=/other/checkout soaks that checkout's app instead (e.g. one with a planted fault).
const appRoot = env.SOAK_APP_ROOT || undefined;
const full = !appRoot && scale.events === FULL.events && scale.kills === FULL.kills && databases.length === 2;
const name = full ? 'soak' : 'soak-quick';
const resultsDir = new URL('./results/', import.meta.url).pathname;

const started = performance.now();
const budgetS = Number(env.SOAK_BUDGET_S ?? 90 * 60);
const watchdog = setTimeout(() => {
  console.error(`soak: still running after ${budgetS} s; giving up`);
  process.exit(2);
}, budgetS * 1000);
const log = (line: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const round2 = (v: number) => round(v, 2);
const results: SoakResults = {
  generatedAt: new Date().toISOString(),
  mode: full ? 'full' : 'quick',
  ...(appRoot ? { appRoot } : {}),
  durationS: 0,
  scale,
  machine: {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: round2(totalmem() / 2 ** 30),
    loadAverageAtStart: loadavg().map(round2),
    loadAverageAtEnd: [],
  },
  databases: [],
};

// The app runs as npm start runs it: the bundle, built once here.
execFileSync('npm', ['run', '-s', 'build:server'], {
  cwd: appRoot ?? new URL('..', import.meta.url).pathname,
});
// Meta for the app: only participant-profile lookups reach it (once per new conversation).
const meta = await startEmulator({ autoDeliveryMs: null, autoReadMs: null });
try {
  for (const kind of databases) {
    try {
      results.databases.push(await runSoak(kind, scale, meta, log, appRoot));
    } catch (err) {
      log(`soak ${kind} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      results.databases.push({ database: kind, error: err instanceof Error ? err.message : String(err) });
    }
  }
} finally {
  await meta.close();
}

const targets = collectTargets(results.databases).map(([, t]) => t);
const failed = results.databases.filter((d) => 'error' in d).length;
results.summary = {
  targets: targets.length,
  met: targets.filter((t) => t.met).length,
  notMet: [
    ...targets.filter((t) => !t.met).map((t) => `${t.target}: ${t.measured}`),
    ...results.databases.flatMap((d) => ('error' in d ? [`${d.database}: the soak failed: ${d.error}`] : [])),
  ],
};
results.machine.loadAverageAtEnd = loadavg().map(round2);
results.durationS = Math.round((performance.now() - started) / 1000);

mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(resultsDir, `${name}.md`), soakMarkdown(results, targets));
console.log(`\n${soakTable(targets)}\n`);
log(
  `${results.summary.met} of ${results.summary.targets} targets met; wrote bench/results/${name}.json and ${name}.md`,
);
clearTimeout(watchdog);
process.exit(failed > 0 || results.summary.met < results.summary.targets ? 1 : 0);

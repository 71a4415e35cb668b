// The run's results as one table — printed, and written as Markdown — plus the JSON beside it. Every
// row that judges a target shows the measured figure, its baseline when there is one, the target and
// whether it is met.
import type { ConnectResults } from './connect-latency.ts';
import type { InboxResults } from './inbox-at-size.ts';
import type { Target } from './targets.ts';
import type { BundleFigures } from './web-bundle.ts';
import { bareBesideRate, type IngestionResults } from './webhook-ingestion.ts';

export interface MemoryFigures {
  database: string;
  idleMb: number;
  underLoadMb: number;
  /** Peak during the open single-event run (target 1's load); absent in results older than issue 15. */
  openSingleMb?: number;
  target: Target;
  idleTarget?: Target;
}

export interface BenchResults {
  generatedAt: string;
  mode: 'full' | 'quick';
  /** Set when parts 2 and 3 ran another checkout's app (BENCH_APP_ROOT). */
  appRoot?: string;
  durationS: number;
  machine: {
    node: string;
    cpus: number;
    cpuModel: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
  };
  connect?: ConnectResults | { error: string };
  ingestion?: IngestionResults | { error: string };
  inbox?: InboxResults | { error: string };
  footprint?: { memory: MemoryFigures[]; webBundle: BundleFigures | { error: string } };
  summary?: { targets: number; met: number; notMet: string[] };
}

interface Row {
  section: string;
  measure: string;
  figure: string;
  baseline: string;
  target: string;
  met: string;
}

const yes = (t: Target) => (t.met ? 'yes' : 'NO');
/** One verdict, or one per part when parts disagree ("round trips NO, wall yes"). */
const mark = (t: Target | Array<[string, Target]>) => {
  if (!Array.isArray(t)) return yes(t);
  if (t.every(([, x]) => x.met) || t.every(([, x]) => !x.met)) return yes(t[0]![1]);
  return t.map(([label, x]) => `${label} ${yes(x)}`).join(', ');
};
/** Latency of an open-model run, or why there is none. */
const latency = (r: { ok: number; failed: number; latencyMs: { p50: number; p99: number } }) =>
  r.ok === 0
    ? `no answer in time (${r.failed} failed)`
    : `p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms${r.failed > 0 ? ` (${r.failed} failed)` : ''}`;
const ok = <T extends object>(v: T | { error: string } | undefined): v is T => !!v && !('error' in v);

export function tableRows(r: BenchResults): Row[] {
  const rows: Row[] = [];
  const failed = (section: string, v: { error: string } | undefined) =>
    rows.push({
      section,
      measure: 'did not run',
      figure: v?.error.split('\n')[0] ?? 'skipped',
      baseline: '',
      target: '',
      met: 'NO',
    });

  if (ok(r.connect)) {
    const c = r.connect;
    for (const row of c.rows) {
      rows.push({
        section: 'Connect',
        measure: `callback, N = ${row.pages} (${row.app.outcome})`,
        figure: `${row.app.wallMs} ms, ${row.app.sequentialRoundTrips} sequential / ${row.app.graphCalls} calls`,
        baseline: row.baseline
          ? `seed: ${row.baseline.wallMs} ms, ${row.baseline.sequentialRoundTrips} sequential (${row.speedup}×)`
          : 'seed: not run',
        target: `${row.targets.sequentialRoundTrips.target}; ${row.targets.wall.target}`,
        met: mark([
          ['round trips', row.targets.sequentialRoundTrips],
          ['wall', row.targets.wall],
        ]),
      });
    }
    const s = c.targets.speedupAt100;
    rows.push({
      section: 'Connect',
      measure: 'speed-up over the seed at N = 100',
      figure: s.measured,
      baseline: '',
      target: s.target,
      met: mark(s),
    });
  } else failed('Connect', r.connect);

  if (ok(r.ingestion)) {
    const g = r.ingestion;
    const b = g.bare;
    rows.push({
      section: 'Webhooks',
      measure: 'bare Fastify endpoint (baseline)',
      figure: `max ${b.max.single.requestsPerS} req/s single, ${b.max.batch.eventsPerS} events/s batched`,
      baseline: '',
      target: '',
      met: '',
    });
    for (const a of g.apps) {
      // Target 2's ratio is to the bare endpoint measured on either side of this receiver (bareBeside).
      const beside = bareBesideRate(a);
      const pct = Math.round((a.max.single.requestsPerS / beside) * 1000) / 10;
      const p99 = g.targets.p99At1000PerS.find((t) => t.target.startsWith(a.database))!;
      const batched = g.targets.batchedThroughput.find((t) => t.target.startsWith(a.database))!;
      const receiver = g.targets.singleVsBare.find((t) => t.target.startsWith(a.database))!;
      rows.push({
        section: 'Webhooks',
        measure: `${a.database}: single-event max throughput`,
        figure: `${a.max.single.requestsPerS} req/s (${pct}% of bare)`,
        baseline: `bare ${beside} req/s, mean of ${a.bareBeside.before.requestsPerS} just before and ${a.bareBeside.after.requestsPerS} just after`,
        target: receiver.target.replace(`${a.database}: `, ''),
        met: mark(receiver),
      });
      rows.push({
        section: 'Webhooks',
        measure: `${a.database}: ack latency, open model ${a.open.single.rate} events/s`,
        figure: `${latency(a.open.single)}, ${a.open.single.achievedPerS}/s achieved`,
        baseline: `bare ${latency(b.open.single)}`,
        target: p99.target.replace(`${a.database}: `, ''),
        met: mark(p99),
      });
      rows.push({
        section: 'Webhooks',
        measure: `${a.database}: batched (${g.eventsPerBatch} events/delivery)`,
        figure: `max ${a.max.batch.eventsPerS} events/s; open ${a.open.batch.rate * g.eventsPerBatch}/s → ${latency(a.open.batch)}`,
        baseline: `bare max ${b.max.batch.eventsPerS} events/s`,
        target: batched.target.replace(`${a.database}: `, ''),
        met: mark(batched),
      });
      const lag = g.targets.lagAt1000PerS?.find((t) => t.target.startsWith(a.database));
      if (lag)
        rows.push({
          section: 'Webhooks',
          measure: `${a.database}: ack-to-processed lag, open model ${a.open.single.rate} events/s`,
          figure: lag.measured,
          baseline: '',
          target: lag.target.replace(`${a.database}: `, ''),
          met: mark(lag),
        });
      const drain = g.targets.drainAfterBurst?.find((t) => t.target.startsWith(a.database));
      if (drain)
        rows.push({
          section: 'Webhooks',
          measure: `${a.database}: processing, backlog drain after a burst`,
          figure: drain.measured,
          baseline: '',
          target: drain.target.replace(`${a.database}: `, ''),
          met: mark(drain),
        });
    }
  } else failed('Webhooks', r.ingestion);

  if (ok(r.inbox)) {
    for (const d of r.inbox.databases) {
      for (const [name, fig, t] of [
        ['conversation list', d.conversationList, d.targets.conversationList],
        ['thread page', d.threadPage, d.targets.threadPage],
        ['search', d.search, d.targets.search],
        ['Resolved list', d.resolvedList, d.targets.resolvedList],
        ['Open list by waiting time', d.openWaitingList, d.targets.openWaitingList],
        ['Mine list', d.mineList, d.targets.mineList],
        ['Unassigned list', d.unassignedList, d.targets.unassignedList],
      ] as const) {
        // Results written before issue 12 have no such figure.
        if (!fig || !t) continue;
        rows.push({
          section: 'Inbox',
          measure: `${d.database}: ${name} (${d.loaded.messages.toLocaleString('en')} msgs)`,
          figure: `${latency(fig)} at ${fig.rate}/s`,
          baseline: '',
          target: t.target.replace(`${d.database}: `, ''),
          met: mark(t),
        });
      }
      const live = d.liveUpdate;
      if (live && d.targets.liveUpdate) {
        rows.push({
          section: 'Inbox',
          measure: `${d.database}: assignment/status change to another member's stream (${live.across})`,
          figure: `${latency({ ok: live.latencyMs.count, failed: live.failed, latencyMs: live.latencyMs })}, ${live.changes} changes at ${live.rate}/s`,
          baseline: '',
          target: d.targets.liveUpdate.target.replace(`${d.database}: `, ''),
          met: mark(d.targets.liveUpdate),
        });
      }
    }
  } else failed('Inbox', r.inbox);

  if (r.footprint) {
    for (const m of r.footprint.memory) {
      rows.push({
        section: 'Footprint',
        measure: `${m.database}: app resident memory`,
        figure:
          m.openSingleMb === undefined
            ? `idle ${m.idleMb} MB, under ingestion load ${m.underLoadMb} MB`
            : `idle ${m.idleMb} MB; at 1,000 single-event deliveries/s ${m.openSingleMb} MB; peak over all loads ${m.underLoadMb} MB`,
        baseline: '',
        target: [m.target, m.idleTarget]
          .filter((t) => t !== undefined)
          .map((t) => t.target.replace(`${m.database}: `, ''))
          .join('; '),
        met: m.idleTarget && !m.idleTarget.met ? mark(m.idleTarget) : mark(m.target),
      });
    }
    const w = r.footprint.webBundle;
    if (ok(w)) {
      rows.push({
        section: 'Footprint',
        measure: 'web app JS, first page',
        figure: `${w.firstPageGzipKb} kB gzipped (${w.firstPageKb} kB raw)`,
        baseline: '',
        target: w.target.target,
        met: mark(w.target),
      });
    } else failed('Footprint', w);
  }
  return rows;
}

const HEAD: Row = {
  section: 'Area',
  measure: 'Measure',
  figure: 'Measured',
  baseline: 'Baseline',
  target: 'Target',
  met: 'Met',
};
const KEYS = Object.keys(HEAD) as Array<keyof Row>;

export function markdownTable(rows: Row[]): string {
  const esc = (s: string) => s.replaceAll('|', '\\|');
  const line = (r: Row) => `| ${KEYS.map((k) => esc(r[k])).join(' | ')} |`;
  return [line(HEAD), `| ${KEYS.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

export function consoleTable(rows: Row[]): string {
  const all = [HEAD, ...rows];
  const width = Object.fromEntries(
    KEYS.map((k) => [k, Math.min(70, Math.max(...all.map((r) => r[k].length)))]),
  );
  const clip = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  return all
    .map((r, i) => {
      const line = KEYS.map((k) => clip(r[k], width[k]!)).join('  ');
      return i === 0 ? `${line}\n${'-'.repeat(line.length)}` : line;
    })
    .join('\n');
}

/** The Markdown file: heading, machine and load, the table, each part's notes, how to reproduce. */
export function markdownReport(r: BenchResults, table: string): string {
  const notes = [r.connect, r.ingestion, r.inbox]
    .filter((s): s is NonNullable<typeof s> & { note: string } => !!s && 'note' in s)
    .map((s) => `- ${s.note}`);
  const errors = [r.connect, r.ingestion, r.inbox]
    .filter((s): s is { error: string } => !!s && 'error' in s)
    .map((s) => `- error: ${s.error.split('\n')[0]}`);
  return [
    `# Parley benchmark (${r.mode})`,
    '',
    `${r.generatedAt} · Node ${r.machine.node} · ${r.machine.cpus} × ${r.machine.cpuModel} · load average at start ` +
      `${r.machine.loadAverageAtStart.join(' / ')} · ${r.durationS} s · ${r.summary!.met} of ${r.summary!.targets} targets met`,
    '',
    table,
    '',
    ...notes,
    ...errors,
    '',
    `Reproduce: \`${r.mode === 'quick' ? 'BENCH_QUICK=1 ' : ''}npm run bench\` (needs PostgreSQL at TEST_POSTGRES_URL, ` +
      'default postgres://postgres@127.0.0.1:5432/test).',
    '',
  ].join('\n');
}

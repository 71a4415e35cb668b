// soak.md: the targets as one table (the README copies it) and the figures behind them per database.
import type { SoakDatabaseResult, SoakScale } from './soak-run.ts';
import type { Target } from './targets.ts';

export interface SoakResults {
  generatedAt: string;
  mode: 'full' | 'quick';
  /** Another checkout's app (SOAK_APP_ROOT), e.g. one with a planted fault, to see that the soak finds it. */
  appRoot?: string;
  durationS: number;
  scale: SoakScale;
  machine: {
    node: string;
    platform: string;
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
  };
  databases: Array<SoakDatabaseResult | { database: string; error: string }>;
  summary?: { targets: number; met: number; notMet: string[] };
}

const cell = (s: string) => s.replaceAll('|', '\\|');

export function soakTable(targets: Target[]): string {
  const lines = ['| Target | Measured | Met |', '| --- | --- | --- |'];
  for (const t of targets) {
    const note = t.note ? ` (${t.note})` : '';
    lines.push(`| ${cell(t.target)} | ${cell(t.measured + note)} | ${t.met ? 'yes' : 'NO'} |`);
  }
  return lines.join('\n');
}

export function soakMarkdown(r: SoakResults, targets: Target[]): string {
  const m = r.machine;
  const out = [
    '# Durability soak',
    '',
    `${r.generatedAt} · ${r.mode} run · Node ${m.node} · ${m.cpus} × ${m.cpuModel} · load average at start ` +
      `${m.loadAverageAtStart.join(' / ')}, at end ${m.loadAverageAtEnd.join(' / ')} · ${r.durationS} s · ` +
      `${r.summary?.met ?? 0} of ${r.summary?.targets ?? 0} targets met`,
    '',
    `${r.scale.events} events per database, every delivery sent ${r.scale.copies}×, and ${r.scale.canaryEvents} ` +
      `more in deliveries sent once (a false 2xx for those cannot be covered by a stored redelivery); ` +
      `${r.scale.concurrency} sends in flight, each retried until answered 2xx; ${r.scale.kills} kill -9 of the ` +
      'app spread over the burst, each followed by a restart.' +
      (r.appRoot ? ` App from another checkout: ${r.appRoot}.` : ''),
    '',
    soakTable(targets),
    '',
    '| Database | Events | Sends (deliveries × copies + once) | POSTs (2xx / 5xx / no answer) | Burst | Drain | Messages stored | Never acked |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const d of r.databases) {
    if ('error' in d) {
      out.push(`| ${d.database} | failed: ${cell(d.error.split('\n')[0] ?? '')} | | | | | | |`);
      continue;
    }
    const c = d.counts;
    out.push(
      `| ${d.database} | ${c.events} | ${c.deliveries.repeated} × ${r.scale.copies} + ${c.deliveries.once} = ${c.sends} | ` +
        `${c.posts} (${c.answered2xx} / ${c.answered5xx} / ${c.noAnswer}) | ${c.burstS} s, ${c.eventsPerS} events/s, ` +
        `${c.postsPerS} POSTs/s | ${c.drainS} s${c.drained ? '' : ' (not drained)'} | ${c.messageRows} | ${d.verdict.neverAcked} |`,
    );
  }
  out.push(
    '',
    'Lost: an acknowledged event with no stored message after processing drained. False 2xx: a 2xx answer ' +
      'for a delivery any of whose events is not stored. Duplicated: a mid stored as more than one message ' +
      '(counted with GROUP BY mid). A POST cut by a kill gets no answer and is retried, as Meta retries.',
    '',
  );
  return out.join('\n');
}

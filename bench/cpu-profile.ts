// Where a process spent its CPU: reads a V8 .cpuprofile (node --cpu-prof) and ranks self time by
// function and by owner (a src/ or emulator/ file, an npm package, or Node's internals), so a target that
// falls short comes with "where the time goes".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** Wall time covered by the profile, and how much of it the main thread was busy (not idle). */
  wallS: number;
  busyPct: number;
  byOwner: Array<{ owner: string; pct: number }>;
  byFunction: Array<{ fn: string; pct: number }>;
}

/** `skipS`: leave out the first seconds of the profile (the process starting up). */
export function summarizeProfile(file: string, top = 12, skipS = 0): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const delta = p.timeDeltas[i] ?? 0;
    at += delta;
    if (at < skipS * 1e6) continue;
    const id = p.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + delta);
  }
  let total = 0;
  let idle = 0;
  const owners = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    total += us;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idle += us;
      continue;
    }
    const owner = ownerOf(node.callFrame.url, name);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const fn = `${name} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const busy = total - idle;
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, Math.round((v / busy) * 1000) / 10] as const);
  return {
    file,
    wallS: Math.round((p.endTime - p.startTime) / 1e5 - skipS * 10) / 10,
    busyPct: Math.round((busy / total) * 1000) / 10,
    byOwner: rank(owners).map(([owner, pct]) => ({ owner, pct })),
    byFunction: rank(fns).map(([fn, pct]) => ({ fn, pct })),
  };
}

/** Every .cpuprofile under `dir` (one level of subdirectories: one per profiled process). */
export function profilesIn(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...profilesIn(path));
    else if (entry.name.endsWith('.cpuprofile')) out.push(path);
  }
  return out.sort();
}

function ownerOf(url: string, name: string): string {
  if (name === '(garbage collector)') return '(garbage collector)';
  if (name === '(program)') return '(program: native, not attributed)';
  if (!url) return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const own = /\/(src|emulator|bench|test)\/(.+)$/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url;
}

const shortUrl = (url: string) =>
  url.replace(/^file:\/\/.*?\/(node_modules|src|emulator|bench|test)\//, '$1/');

/** profile.md: every main-thread profile under `dir`, start-up left out. */
export function profileMarkdown(dir: string): string {
  const lines = [
    '# Where the app spends its CPU (BENCH_PROFILE=1)',
    '',
    'Self time of the app process in each section from the moment it answered /healthz to its exit',
    '(seeding, loads, drains), by owner and by function. Native work (SQLite statements and their',
    'fsync, socket writes) is charged to the JS function that called it.',
    '',
  ];
  // One directory per profiled process (e.g. ingestion-sqlite), holding startup.json and the profiles:
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile, where thread 0 is the main thread (the other is
  // tsx's module-loader thread, idle once the app has started).
  const sections = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const section of sections.map((e) => e.name).sort()) {
    const sectionDir = join(dir, section);
    const main = profilesIn(sectionDir).find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f));
    if (!main) {
      // V8 writes the profile at exit; a process that had to be killed leaves none.
      lines.push(
        `## ${section}: no profile — the process did not exit by itself within 30 s and was killed`,
        '',
      );
      continue;
    }
    const startup = join(sectionDir, 'startup.json');
    const skipS = existsSync(startup)
      ? (JSON.parse(readFileSync(startup, 'utf8')) as { readyS: number }).readyS
      : 0;
    const s = summarizeProfile(main, 12, skipS);
    lines.push(`## ${section} — ${s.wallS} s, main thread busy ${s.busyPct}%`, '');
    lines.push(
      '| owner | % of busy time |',
      '| --- | --- |',
      ...s.byOwner.map((o) => `| ${o.owner} | ${o.pct} |`),
      '',
    );
    lines.push(
      '| function (self time) | % |',
      '| --- | --- |',
      ...s.byFunction.map((f) => `| \`${f.fn}\` | ${f.pct} |`),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

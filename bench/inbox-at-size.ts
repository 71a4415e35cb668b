// Part 3 — the inbox at size. Organizations are signed up over HTTP against the real app (its own
// process); their conversations and messages are bulk-loaded into its database (inbox-loader.ts); then
// the two reads an agent makes all day are timed over HTTP under an open-model load:
// - the conversation list (`GET /api/conversations`): three in four requests take the first page, one in
//   four a page deep in the list (a keyset cursor at a random conversation);
// - a thread page (`GET /api/conversations/:id/messages`) of a random conversation;
// - issue 12: search (`?q=`: a rare word — one conversation's order number —, a word in every message,
//   or a customer's name; each kind also timed apart), the Resolved list, the Open list sorted by
//   waiting time, and the Mine and Unassigned lists (each organization has a team of four, three in five
//   conversations assigned to one of them);
// - issue 12: how fast an assignment or status change by the owner reaches an agent's open live stream
//   (live-latency.ts) — on SQLite in the one process; on PostgreSQL between two further instances
//   sharing the database and Redis (the change made on A, the stream open on B).
import { startEmulator } from '../emulator/server.ts';
import { encodeCursor } from '../src/inbox/inbox-cursor.ts';
import { REDIS_URL } from '../test/support/databases.ts';
import { startAppProcess, startBenchApp } from './app-process.ts';
import { dropBenchDatabase } from './bench-database.ts';
import { loadInbox } from './inbox-loader.ts';
import { addTeam, type Team } from './inbox-members.ts';
import { type LiveChange, type LiveLatencyResult, measureLiveLatency } from './live-latency.ts';
import { type OpenLoadResult, type OpenRequest, openLoad } from './open-load.ts';
import type { Scale } from './scale.ts';
import { seedOrganizations } from './seed-organizations.ts';
import { judge, type Target } from './targets.ts';

export interface InboxFigures {
  database: 'sqlite' | 'postgres';
  loaded: { organizations: number; conversations: number; messages: number; loadSeconds: number };
  conversationList: OpenLoadResult;
  threadPage: OpenLoadResult;
  search: OpenLoadResult;
  resolvedList: OpenLoadResult;
  openWaitingList: OpenLoadResult;
  mineList: OpenLoadResult;
  unassignedList: OpenLoadResult;
  liveUpdate: LiveLatencyResult & { across: string };
  targets: {
    conversationList: Target;
    threadPage: Target;
    search: Target;
    resolvedList: Target;
    openWaitingList: Target;
    mineList: Target;
    unassignedList: Target;
    liveUpdate: Target;
  };
}

export interface InboxResults {
  note: string;
  full: boolean;
  databases: InboxFigures[];
}

export async function runInboxAtSize(
  scale: Scale['inbox'],
  log: (line: string) => void,
  opts: { cpuProfDir?: string; appRoot?: string; databases?: Array<'sqlite' | 'postgres'> } = {},
): Promise<InboxResults> {
  const meta = await startEmulator({ autoDeliveryMs: null, autoReadMs: null });
  const databases: InboxFigures[] = [];
  try {
    for (const kind of opts.databases ?? (['sqlite', 'postgres'] as const)) {
      const { db, app, secrets } = await startBenchApp(kind, meta, {
        section: 'inbox',
        appRoot: opts.appRoot,
        cpuProfDir: opts.cpuProfDir,
      });
      try {
        const orgs = await seedOrganizations(app.url, db, {
          count: scale.organizations,
          encryptionKeys: secrets.encryptionKeys,
          connect: true,
        });
        const teams: Team[] = [];
        for (const org of orgs) teams.push(await addTeam(app.url, org, 3));
        const loaded = await loadInbox(
          db,
          orgs.map((o, i) => ({ ...o, members: teams[i]!.members })),
          scale,
        );
        log(
          `inbox ${kind}: loaded ${loaded.conversations} conversations, ${loaded.messages} messages in ${loaded.seconds} s`,
        );
        const cookies = orgs.map((o) => [...o.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
        const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
        const get = (path: string, cookie: string, label?: string): OpenRequest => ({
          method: 'GET',
          path,
          headers: { cookie },
          ...(label ? { label } : {}),
        });
        const load = (next: () => OpenRequest) =>
          openLoad({
            origin: app.url,
            rate: scale.rate,
            warmupS: scale.warmupS,
            durationS: scale.durationS,
            connections: 64,
            next,
          });

        const conversationList = await load(() => {
          const i = Math.floor(Math.random() * orgs.length);
          if (Math.random() < 0.75) return get('/api/conversations', cookies[i]!);
          const at = pick(loaded.samples.get(orgs[i]!.orgId)!);
          return get(`/api/conversations?cursor=${encodeCursor(at)}`, cookies[i]!);
        });
        const threadPage = await load(() => {
          const i = Math.floor(Math.random() * orgs.length);
          const c = pick(loaded.samples.get(orgs[i]!.orgId)!);
          return get(`/api/conversations/${c.id}/messages`, cookies[i]!);
        });
        const search = await load(() => {
          const i = Math.floor(Math.random() * orgs.length);
          const c = Math.floor(Math.random() * scale.conversationsPerOrg);
          const roll = Math.random();
          const [q, label] =
            roll < 0.4
              ? [`order ${c}`, 'order number'] // a rare word: one conversation's order number
              : roll < 0.7
                ? ['READY', 'common word'] // in every message: the newest matches are walked, not all collected
                : [`Customer ${i}-${c}`, 'name']; // a name (inbox-loader numbers organizations in this order)
          return get(`/api/conversations?q=${encodeURIComponent(q)}`, cookies[i]!, label);
        });
        const resolvedList = await load(() => {
          const i = Math.floor(Math.random() * orgs.length);
          return get('/api/conversations?status=resolved', cookies[i]!);
        });
        const openWaitingList = await load(() => {
          const i = Math.floor(Math.random() * orgs.length);
          return get('/api/conversations?status=open&sort=waiting', cookies[i]!);
        });
        // The owner's Mine and the Unassigned list, first pages and pages deep as the list above.
        const filtered = (assignee: 'me' | 'unassigned') => () => {
          const i = Math.floor(Math.random() * orgs.length);
          if (Math.random() < 0.75) return get(`/api/conversations?assignee=${assignee}`, cookies[i]!);
          const at = pick(loaded.samples.get(orgs[i]!.orgId)!);
          return get(`/api/conversations?assignee=${assignee}&cursor=${encodeCursor(at)}`, cookies[i]!);
        };
        const mineList = await load(filtered('me'));
        const unassignedList = await load(filtered('unassigned'));
        const liveUpdate = await liveUpdates(kind, db, app.url, orgs[0]!, teams[0]!, scale, {
          meta,
          secrets,
          appRoot: opts.appRoot,
        });
        log(
          `inbox ${kind}: search by kind ${JSON.stringify(search.byLabel)}; ` +
            `live updates ${liveUpdate.across}: p50 ${liveUpdate.latencyMs.p50} / p99 ${liveUpdate.latencyMs.p99} ms`,
        );
        const verdict = (name: string, r: OpenLoadResult, limitMs = 20) =>
          judge(
            `${kind}: ${name} p99 < ${limitMs} ms`,
            `${r.latencyMs.p99} ms (p50 ${r.latencyMs.p50} ms, ${r.failed} failed)`,
            r.latencyMs.p99 < limitMs && r.failed === 0,
          );
        databases.push({
          database: kind,
          loaded: {
            organizations: orgs.length,
            conversations: loaded.conversations,
            messages: loaded.messages,
            loadSeconds: loaded.seconds,
          },
          conversationList,
          threadPage,
          search,
          resolvedList,
          openWaitingList,
          mineList,
          unassignedList,
          liveUpdate,
          targets: {
            conversationList: verdict('conversation list', conversationList),
            threadPage: verdict('thread page', threadPage),
            search: verdict('search', search, 50),
            resolvedList: verdict('Resolved list', resolvedList),
            openWaitingList: verdict('Open list by waiting time', openWaitingList),
            mineList: verdict('Mine list', mineList),
            unassignedList: verdict('Unassigned list', unassignedList),
            liveUpdate: judge(
              `${kind}: assignment/status change to another member's live stream p99 < 300 ms`,
              `${liveUpdate.latencyMs.p99} ms (p50 ${liveUpdate.latencyMs.p50} ms, ${liveUpdate.changes} changes, ${liveUpdate.failed} failed; ${liveUpdate.across})`,
              liveUpdate.latencyMs.p99 < 300 && liveUpdate.failed === 0 && liveUpdate.latencyMs.count > 0,
            ),
          },
        });
        log(
          `inbox ${kind}: list p50 ${conversationList.latencyMs.p50} / p99 ${conversationList.latencyMs.p99} ms; ` +
            `thread p50 ${threadPage.latencyMs.p50} / p99 ${threadPage.latencyMs.p99} ms; ` +
            `search p50 ${search.latencyMs.p50} / p99 ${search.latencyMs.p99} ms; ` +
            `resolved p99 ${resolvedList.latencyMs.p99} ms; open by waiting p99 ${openWaitingList.latencyMs.p99} ms; ` +
            `mine p99 ${mineList.latencyMs.p99} ms; unassigned p99 ${unassignedList.latencyMs.p99} ms`,
        );
      } finally {
        // A profiled app needs its clean exit to write the profile; otherwise its backlog is not waited for.
        await app.stop(opts.cpuProfDir ? 30_000 : 500);
        await dropBenchDatabase(db);
      }
    }
  } finally {
    await meta.close();
  }
  const total = scale.organizations * scale.conversationsPerOrg * scale.messagesPerConversation;
  return {
    note:
      `${scale.organizations} organizations × ${scale.conversationsPerOrg} conversations × ${scale.messagesPerConversation} ` +
      `messages = ${total.toLocaleString('en')} messages per database. Open model at ${scale.rate} requests/s for ` +
      `${scale.durationS} s per endpoint after ${scale.warmupS} s warm-up; every request carries a session cookie (session lookup included). ` +
      `Live updates: ${scale.liveChanges} changes at ${scale.liveRate}/s, each timed from its scheduled PATCH to its event on another member's stream.`,
    full: total >= 1_000_000,
    databases,
  };
}

/**
 * The owner changes conversations of `org` while its first agent's stream is open. SQLite: both on the
 * bench's app (one process, the in-process bus). PostgreSQL: two further instances on the same database
 * with Redis as the live bus, as a deployment of several would run, changes made on A and the stream on B.
 */
async function liveUpdates(
  kind: 'sqlite' | 'postgres',
  db: Awaited<ReturnType<typeof startBenchApp>>['db'],
  appUrl: string,
  org: { orgId: string; userId: string; browser: { cookies: Map<string, string> } },
  team: Team,
  scale: Scale['inbox'],
  o: {
    meta: { appId: string; appSecret: string; verifyToken: string; url: string };
    secrets: { encryptionKeys: string; sessionSecret: string };
    appRoot?: string;
  },
): Promise<LiveLatencyResult & { across: string }> {
  const rows = await db.test.database.db
    .selectFrom('conversations')
    .select(['id', 'status', 'assignee_id'])
    .where('org_id', '=', org.orgId)
    .orderBy('id')
    .limit(scale.liveChanges)
    .execute();
  const other = team.members[2]!;
  const changes: LiveChange[] = rows.map((r, i) => ({
    conversationId: r.id,
    body:
      i % 2 === 0
        ? { assignee_id: r.assignee_id === other ? team.agent.id : other }
        : { status: r.status === 'open' ? 'resolved' : 'open' },
  }));
  const cookieOf = (b: { cookies: Map<string, string> }) =>
    [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const run = (patchOrigin: string, streamOrigin: string) =>
    measureLiveLatency({
      patch: { origin: patchOrigin, cookie: cookieOf(org.browser) },
      stream: { origin: streamOrigin, cookie: cookieOf(team.agent.browser) },
      changes,
      rate: scale.liveRate,
    });
  if (kind === 'sqlite') return { ...(await run(appUrl, appUrl)), across: 'one instance' };
  const instance = () =>
    startAppProcess({
      databaseUrl: db.databaseUrl,
      meta: {
        appId: o.meta.appId,
        appSecret: o.meta.appSecret,
        verifyToken: o.meta.verifyToken,
        graphUrl: o.meta.url,
      },
      ...o.secrets,
      root: o.appRoot,
      env: { REDIS_URL },
    });
  const a = await instance();
  try {
    const b = await instance();
    try {
      return { ...(await run(a.url, b.url)), across: 'instance A to instance B through Redis' };
    } finally {
      await b.stop(2_000);
    }
  } finally {
    await a.stop(2_000);
  }
}

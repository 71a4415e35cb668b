// Part 3 — the inbox at size. Organizations are signed up over HTTP against the real app (its own
// process); their conversations and messages are bulk-loaded into its database (inbox-loader.ts); then
// the two reads an agent makes all day are timed over HTTP under an open-model load:
// - the conversation list (`GET /api/conversations`): three in four requests take the first page, one in
//   four a page deep in the list (a keyset cursor at a random conversation);
// - a thread page (`GET /api/conversations/:id/messages`) of a random conversation;
// - issue 12: search (`?q=`: a rare word — one conversation's order number —, a word in every message,
//   or a customer's name), the Resolved list, and the Open list sorted by waiting time.
import { startEmulator } from '../emulator/server.ts';
import { encodeCursor } from '../src/inbox/inbox-cursor.ts';
import { startBenchApp } from './app-process.ts';
import { loadInbox } from './inbox-loader.ts';
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
  targets: {
    conversationList: Target;
    threadPage: Target;
    search: Target;
    resolvedList: Target;
    openWaitingList: Target;
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
        const loaded = await loadInbox(db, orgs, scale);
        log(
          `inbox ${kind}: loaded ${loaded.conversations} conversations, ${loaded.messages} messages in ${loaded.seconds} s`,
        );
        const cookies = orgs.map((o) => [...o.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
        const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
        const get = (path: string, cookie: string): OpenRequest => ({
          method: 'GET',
          path,
          headers: { cookie },
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
          const q =
            roll < 0.4
              ? `order ${c}` // a rare word: one conversation's order number
              : roll < 0.7
                ? 'READY' // in every message: the newest matches are walked, not all collected
                : `Customer ${i}-${c}`; // a name (inbox-loader numbers organizations in this order)
          return get(`/api/conversations?q=${encodeURIComponent(q)}`, cookies[i]!);
        });
        const resolvedList = await load(() => {
          const i = Math.floor(Math.random() * orgs.length);
          return get('/api/conversations?status=resolved', cookies[i]!);
        });
        const openWaitingList = await load(() => {
          const i = Math.floor(Math.random() * orgs.length);
          return get('/api/conversations?status=open&sort=waiting', cookies[i]!);
        });
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
          targets: {
            conversationList: verdict('conversation list', conversationList),
            threadPage: verdict('thread page', threadPage),
            search: verdict('search', search, 50),
            resolvedList: verdict('Resolved list', resolvedList),
            openWaitingList: verdict('Open list by waiting time', openWaitingList),
          },
        });
        log(
          `inbox ${kind}: list p50 ${conversationList.latencyMs.p50} / p99 ${conversationList.latencyMs.p99} ms; ` +
            `thread p50 ${threadPage.latencyMs.p50} / p99 ${threadPage.latencyMs.p99} ms; ` +
            `search p50 ${search.latencyMs.p50} / p99 ${search.latencyMs.p99} ms; ` +
            `resolved p99 ${resolvedList.latencyMs.p99} ms; open by waiting p99 ${openWaitingList.latencyMs.p99} ms`,
        );
      } finally {
        // A profiled app needs its clean exit to write the profile; otherwise its backlog is not waited for.
        await app.stop(opts.cpuProfDir ? 30_000 : 500);
        await db.test.drop();
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
      `${scale.durationS} s per endpoint after ${scale.warmupS} s warm-up; every request carries a session cookie (session lookup included).`,
    full: total >= 1_000_000,
    databases,
  };
}

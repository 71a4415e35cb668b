// Imports a connected Page's recent conversations from Meta (issue 13): one job run reads one page of
// the Conversations API (25 conversations), applies their messages through the inbox's own ingest (so
// they merge with webhooks by mid: nothing twice, and the thread orders by Meta's timestamps), records
// the cursor and counts, and queues the next page. Progress survives restarts because the cursor lives
// in history_imports and each step is a durable job; a reconnect restarts the import, and a job of the
// older run sees the newer `started_at` and stops. Conversations older than HISTORY_IMPORT_DAYS end it
// (Meta lists the most recently updated first). Calls name the Page, so Meta's per-Page usage headers
// throttle this import without holding back other Pages.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import * as connections from '../connections/connection-repository.ts';
import { pageTokenAad } from '../connections/connection-service.ts';
import * as conversations from '../inbox/conversation-repository.ts';
import { InboxChanges } from '../inbox/inbox-changes.ts';
import { applyEvents } from '../inbox/inbox-ingest.ts';
import { publishChanges } from '../inbox/inbox-publisher.ts';
import * as jobs from '../jobs/job-repository.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { listConversations } from '../meta/conversations.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import { classifyGraphError, describeGraphFailure } from '../meta/graph-error-class.ts';
import type { TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { MessagingEvent } from '../webhooks/webhook-payload.ts';
import { conversationEvents, participantOf } from './history-events.ts';
import * as repo from './history-repository.ts';
import { HISTORY_IMPORT_JOB, type HistoryJobPayload } from './history-requests.ts';

export const HISTORY_PAGE_SIZE = 25;

export interface HistoryServiceDeps {
  db: Kysely<DatabaseSchema>;
  graph: GraphClient;
  cipher: TokenCipher;
  bus: LiveBus;
  logger: Logger;
  now: () => number;
}

export class HistoryService {
  constructor(private readonly d: HistoryServiceDeps) {}

  /** The job handler: imports the next page, or finishes. Throws to be retried with backoff. */
  async runStep(raw: unknown, attempt: number): Promise<void> {
    const p = raw as HistoryJobPayload;
    const key = { org_id: p.org_id, account_id: p.account_id, platform: p.platform };
    const row = await repo.findImport(this.d.db, key);
    if (row?.state !== 'running') return;
    if (p.started_at !== row.started_at) return; // a reconnect restarted it
    const connection = await connections.findByOrg(this.d.db, p.org_id);
    const account =
      p.platform === 'messenger' ? connection?.facebook_page_id : connection?.instagram_business_account_id;
    if (!connection || account !== p.account_id || connection.status === 'reauth_required') {
      await repo.updateImport(this.d.db, key, {
        state: 'failed',
        error: 'The Page was disconnected or needs a new login',
        finished_at: this.d.now(),
      });
      return;
    }
    const pageToken = this.d.cipher.decrypt(
      connection.page_access_token,
      pageTokenAad(p.org_id, connection.facebook_page_id),
    );
    let page: Awaited<ReturnType<typeof listConversations>>;
    try {
      page = await listConversations(this.d.graph, {
        pageId: connection.facebook_page_id,
        pageToken,
        platform: p.platform,
        after: row.after_cursor,
        limit: HISTORY_PAGE_SIZE,
      });
    } catch (err) {
      // Classified by Meta's code, worded by us (Meta's own text is not for the card). Only a passing
      // problem is worth the job's backoff; a refusal (a missing permission, say) would be refused
      // again for twenty minutes of "importing…", so it stops at once and says why.
      const cls = classifyGraphError(err);
      const message = describeGraphFailure(err);
      this.d.logger.warn({ orgId: p.org_id, platform: p.platform, attempt, cls }, 'history page failed');
      const passing = cls === 'transient' || cls === 'rate_limited';
      if (!passing || attempt >= 8) {
        await repo.updateImport(this.d.db, key, {
          state: 'failed',
          error: passing
            ? 'Meta kept failing, so the import stopped; reconnect with Facebook to import the history again.'
            : message,
          finished_at: this.d.now(),
        });
        return;
      }
      await repo.updateImport(this.d.db, key, { error: message });
      throw err;
    }
    const catchup = p.phase === 'catchup';
    // The first pass stops at HISTORY_IMPORT_DAYS; the catch-up pass at what the first pass saw (a
    // minute's margin: Meta's updated_time has whole seconds, and reading a conversation twice is free).
    const floor = catchup ? row.started_at - 60_000 : row.since;
    const recent = page.conversations.filter((c) => Date.parse(c.updated_time) >= floor);
    const reachedOld = recent.length < page.conversations.length;
    const events: MessagingEvent[] = recent
      .flatMap((c) => conversationEvents(p.platform, p.account_id, c))
      .sort((a, b) => a.timestamp - b.timestamp);
    const changes = new InboxChanges();
    const now = this.d.now();
    const passOver = reachedOld || page.after === null;
    // After the first pass, one catch-up pass; after the catch-up pass, done.
    const next: HistoryJobPayload | null = !passOver ? { ...p } : catchup ? null : { ...p, phase: 'catchup' };
    await this.d.db.transaction().execute(async (tx) => {
      // Meta's created_time has whole seconds: a message sent just after the start may read as just before.
      await applyEvents(tx, p.org_id, events, changes, now, { historyBefore: row.started_at - 1000 });
      // Names come with the conversation: no profile lookup per imported person. Instagram gives only the
      // username: it becomes the handle (shown until a name is known) and the name is left to the lookup.
      for (const c of recent) {
        const person = participantOf(p.account_id, c);
        if (!person) continue;
        const conv = await conversations.findByParticipant(tx, {
          orgId: p.org_id,
          channel: p.platform,
          accountId: p.account_id,
          participantId: person.id,
        });
        if (!conv || conv.participant_name !== null) continue;
        if (person.name) {
          await conversations.setProfile(tx, conv.id, person.name, now, person.handle);
          changes.conversationTouched(conv.id);
        } else if (person.handle && conv.participant_handle === null) {
          await conversations.setHandle(tx, conv.id, person.handle, now);
          changes.conversationTouched(conv.id);
        }
      }
      await repo.updateImport(tx, key, {
        // The catch-up pass starts from the top again.
        after_cursor: passOver ? null : page.after,
        conversations_done: row.conversations_done + (catchup ? 0 : recent.length),
        messages_imported: row.messages_imported + changes.created.size,
        error: null,
        ...(next ? {} : { state: 'done' as const, finished_at: now }),
      });
      if (next) {
        const step = passOver ? 'start' : page.after;
        await jobs.enqueue(tx, {
          kind: HISTORY_IMPORT_JOB,
          payload: next,
          runAt: now,
          dedupeKey: `${HISTORY_IMPORT_JOB}:${p.org_id}:${p.account_id}:${p.platform}:${row.started_at}:${next.phase ?? 'main'}:${step}`,
          now,
        });
      }
    });
    // Imported conversations come with their names; needProfile is for live ones only.
    changes.needProfile.clear();
    await publishChanges(this.d.db, this.d.bus, p.org_id, changes).catch(() => {});
  }

  async status(orgId: string) {
    return (await repo.listImports(this.d.db, orgId)).map((r) => ({
      platform: r.platform,
      state: r.state,
      conversations_done: r.conversations_done,
      messages_imported: r.messages_imported,
      days: Math.round((r.started_at - r.since) / (24 * 3600_000)),
      started_at: new Date(r.started_at).toISOString(),
      finished_at: r.finished_at === null ? null : new Date(r.finished_at).toISOString(),
      error: r.error,
    }));
  }
}

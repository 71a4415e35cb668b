// The rules of an organization's Meta connection: saving a chosen Page (one row per organization, a
// Page serves one organization), subscribing its webhooks with a visible needs_attention state and a
// background retry when that fails, the picker's list, and disconnect (row and token deleted at once,
// the Page unsubscribed through the outbox, history kept).
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SessionContext } from '../accounts/accounts-service.ts';
import type { ConnectionStatusResponse, ConnectionView, PendingPagesResponse } from '../contract.ts';
import * as jobs from '../jobs/job-repository.ts';
import { classifyGraphError, describeGraphFailure } from '../meta/graph-error-class.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import { type PageWithInstagram, unsubscribePage } from '../meta/pages.ts';
import type { TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { isUniqueViolation } from '../storage/unique-violation.ts';
import {
  NoPendingPagesError,
  NotConnectedError,
  PageAlreadyConnectedError,
  PageNotInListError,
  PageUnavailableError,
} from './connection-errors.ts';
import * as repo from './connection-repository.ts';
import type { ConnectionRow } from './connection-repository.ts';
import { toConnectionView } from './connection-view.ts';
import type { PendingPagesStore } from './pending-pages-store.ts';
import { allSubscribed, type SubscriberOptions, subscribeAll } from './webhook-subscriber.ts';

export const SUBSCRIBE_JOB = 'meta.subscribe';
export const UNSUBSCRIBE_JOB = 'meta.unsubscribe';

export interface ConnectionServiceDeps {
  db: Kysely<DatabaseSchema>;
  cipher: TokenCipher;
  graph: GraphClient;
  subscriber: SubscriberOptions;
  pending: PendingPagesStore;
  now: () => number;
  logger: Logger;
}

export const pageTokenAad = (orgId: string, pageId: string) => `page-token|${orgId}|${pageId}`;
const unsubscribeAad = (pageId: string) => `unsubscribe|${pageId}`;

export type SaveOutcome = { connection: ConnectionView; subscribed: boolean };

export class ConnectionService {
  constructor(private readonly d: ConnectionServiceDeps) {}

  async status(orgId: string): Promise<ConnectionStatusResponse> {
    const row = await repo.findByOrg(this.d.db, orgId);
    if (!row) return { connected: false };
    return { connected: true, connection: await this.view(row) };
  }

  unavailableReason(page: PageWithInstagram, elsewhere: Set<string>) {
    if (elsewhere.has(page.id)) return 'connected_to_another_organization' as const;
    if (page.tasks && !page.tasks.includes('MESSAGING')) return 'missing_messaging_task' as const;
    return null;
  }

  async pendingPages(session: SessionContext): Promise<PendingPagesResponse> {
    const entry = await this.d.pending.load(session.organization.id, session.user.id);
    if (!entry) throw new NoPendingPagesError();
    const elsewhere = await repo.pagesConnectedElsewhere(
      this.d.db,
      session.organization.id,
      entry.pages.map((p) => p.id),
    );
    return {
      pages: entry.pages.map((p) => {
        const reason = this.unavailableReason(p, elsewhere);
        return {
          id: p.id,
          name: p.name,
          instagram_business_account_id: p.instagram?.id ?? null,
          instagram_username: p.instagram?.username ?? null,
          available: reason === null,
          unavailable_reason: reason,
        };
      }),
      expires_at: new Date(entry.expiresAt).toISOString(),
    };
  }

  async selectPage(session: SessionContext, pageId: string): Promise<SaveOutcome> {
    const orgId = session.organization.id;
    const userId = session.user.id;
    const entry = await this.d.pending.load(orgId, userId);
    if (!entry) {
      // A double submit: the first choice consumed the list. Answer with what it saved.
      const current = await repo.findByOrg(this.d.db, orgId);
      if (current?.facebook_page_id === pageId) return { connection: await this.view(current), subscribed: true };
      throw new NoPendingPagesError();
    }
    const page = entry.pages.find((p) => p.id === pageId);
    if (!page) throw new PageNotInListError();
    const elsewhere = await repo.pagesConnectedElsewhere(this.d.db, orgId, [page.id]);
    const reason = this.unavailableReason(page, elsewhere);
    if (reason === 'connected_to_another_organization') throw new PageAlreadyConnectedError();
    if (reason) throw new PageUnavailableError("You can't manage messages for this Page; ask its admin for that task");
    const taken = await this.d.pending.take(orgId, userId);
    if (!taken) {
      const current = await repo.findByOrg(this.d.db, orgId);
      if (current?.facebook_page_id === pageId) return { connection: await this.view(current), subscribed: true };
      throw new NoPendingPagesError();
    }
    try {
      return await this.savePage(orgId, userId, page, entry.fbUserId);
    } catch (err) {
      // Nothing was saved: give the list back so the admin can choose again.
      await this.d.pending.restore(orgId, userId, taken);
      throw err;
    }
  }

  /**
   * Saves the Page as the organization's connection, then subscribes its webhooks. The row is written
   * first (so no webhook arriving meanwhile is lost) but reads `active` only once every subscription
   * succeeded (R31); a failure leaves `needs_attention` and a queued retry.
   */
  async savePage(orgId: string, userId: string, page: PageWithInstagram, fbUserId: string | null): Promise<SaveOutcome> {
    const t = this.d.now();
    const previous = await repo.findByOrg(this.d.db, orgId);
    const row: ConnectionRow = {
      org_id: orgId,
      facebook_page_id: page.id,
      facebook_page_name: page.name,
      page_access_token: this.d.cipher.encrypt(page.accessToken, pageTokenAad(orgId, page.id)),
      instagram_business_account_id: page.instagram?.id ?? null,
      instagram_username: page.instagram?.username ?? null,
      status: 'needs_attention',
      status_reason: 'Subscribing to webhooks…',
      webhook_page: 'pending',
      webhook_app_page: 'pending',
      webhook_app_instagram: 'pending',
      connected_by_user_id: userId,
      connected_by_fb_user_id: fbUserId,
      connected_at: t,
      updated_at: t,
    };
    try {
      await this.d.db.transaction().execute(async (tx) => {
        const owner = await repo.findByPageId(tx, page.id);
        if (owner && owner.org_id !== orgId) throw new PageAlreadyConnectedError();
        await repo.upsert(tx, row);
        // Reconnecting the same Page keeps its original connection date.
        if (previous?.facebook_page_id === page.id) await repo.setConnectedAt(tx, orgId, previous.connected_at);
        if (previous && previous.facebook_page_id !== page.id) await this.queueUnsubscribe(tx, previous, t);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new PageAlreadyConnectedError();
      throw err;
    }
    this.d.logger.info({ orgId, pageId: page.id }, 'meta page connected');
    const subscribed = await this.subscribe(orgId, page.id, page.accessToken);
    const saved = await repo.findByOrg(this.d.db, orgId);
    return { connection: await this.view(saved!), subscribed };
  }

  async retrySubscriptions(orgId: string): Promise<ConnectionView> {
    const row = await repo.findByOrg(this.d.db, orgId);
    if (!row) throw new NotConnectedError();
    const token = this.d.cipher.decrypt(row.page_access_token, pageTokenAad(orgId, row.facebook_page_id));
    await this.subscribe(orgId, row.facebook_page_id, token);
    return this.view((await repo.findByOrg(this.d.db, orgId))!);
  }

  /** Deletes the row and its token in one transaction and queues the unsubscribe (R47, R48). */
  async disconnect(orgId: string): Promise<boolean> {
    const t = this.d.now();
    const removed = await this.d.db.transaction().execute(async (tx) => {
      const row = await repo.deleteByOrg(tx, orgId);
      if (row) {
        await this.queueUnsubscribe(tx, row, t);
        await tx.deleteFrom('jobs').where('dedupe_key', '=', `${SUBSCRIBE_JOB}:${orgId}`).execute();
      }
      return row;
    });
    if (removed) this.d.logger.info({ orgId, pageId: removed.facebook_page_id }, 'meta page disconnected');
    return removed !== null;
  }

  /** Background retry of a connection's subscriptions; throws to be retried later. */
  async runSubscribeJob(payload: { org_id: string; page_id: string }): Promise<void> {
    const row = await repo.findByOrg(this.d.db, payload.org_id);
    if (!row || row.facebook_page_id !== payload.page_id || row.status === 'reauth_required') return;
    const token = this.d.cipher.decrypt(row.page_access_token, pageTokenAad(row.org_id, row.facebook_page_id));
    const ok = await this.subscribe(row.org_id, row.facebook_page_id, token, { fromJob: true });
    if (!ok) {
      const after = await repo.findByOrg(this.d.db, payload.org_id);
      if (after?.status === 'needs_attention') throw new Error(after.status_reason ?? 'subscription failed');
    }
  }

  /** Unsubscribes a disconnected Page; errors that can never succeed end the job (field lessons row 8). */
  async runUnsubscribeJob(payload: { page_id: string; sealed_token: string }): Promise<void> {
    if (await repo.findByPageId(this.d.db, payload.page_id)) return; // reconnected meanwhile: keep it
    const token = this.d.cipher.decrypt(payload.sealed_token, unsubscribeAad(payload.page_id));
    try {
      await unsubscribePage(this.d.graph, payload.page_id, token);
    } catch (err) {
      const cls = classifyGraphError(err);
      if (cls === 'transient' || cls === 'rate_limited') throw err;
      this.d.logger.info({ pageId: payload.page_id, cls }, 'unsubscribe cannot succeed; dropping it');
    }
  }

  private async queueUnsubscribe(tx: Parameters<typeof repo.findByOrg>[0], row: ConnectionRow, t: number) {
    const token = this.d.cipher.decrypt(row.page_access_token, pageTokenAad(row.org_id, row.facebook_page_id));
    await jobs.enqueue(tx, {
      kind: UNSUBSCRIBE_JOB,
      payload: {
        page_id: row.facebook_page_id,
        sealed_token: this.d.cipher.encrypt(token, unsubscribeAad(row.facebook_page_id)),
      },
      runAt: t,
      now: t,
    });
  }

  private async subscribe(orgId: string, pageId: string, pageToken: string, opts: { fromJob?: boolean } = {}) {
    const outcome = await subscribeAll(this.d.subscriber, pageId, pageToken);
    const ok = allSubscribed(outcome);
    const cls = ok ? null : classifyGraphError(outcome.error);
    const status = ok ? 'active' : cls === 'reauth_required' ? 'reauth_required' : 'needs_attention';
    const t = this.d.now();
    await repo.updateHealth(this.d.db, orgId, pageId, {
      status,
      status_reason: ok ? null : `Webhook subscription failed: ${describeGraphFailure(outcome.error)}`,
      webhook_page: outcome.page,
      webhook_app_page: outcome.app_page,
      webhook_app_instagram: outcome.app_instagram,
      updated_at: t,
    });
    if (!ok) {
      this.d.logger.warn({ orgId, pageId, cls }, 'webhook subscription failed');
      if (status === 'needs_attention' && !opts.fromJob) {
        await jobs.enqueue(this.d.db, {
          kind: SUBSCRIBE_JOB,
          payload: { org_id: orgId, page_id: pageId },
          dedupeKey: `${SUBSCRIBE_JOB}:${orgId}`,
          runAt: t + 5_000,
          now: t,
        });
      }
    }
    return ok;
  }

  private async view(row: ConnectionRow): Promise<ConnectionView> {
    return toConnectionView(row, await repo.findConnectedBy(this.d.db, row.connected_by_user_id));
  }
}

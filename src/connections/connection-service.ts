// The rules of an organization's Meta connection: saving a chosen Page (one row per organization, a
// Page serves one organization; an Instagram account is held by one connection, the newest), the
// picker's list, refreshing the Instagram link, disconnect (row and token deleted at once, the Page
// unsubscribed through the outbox, history kept) and the activity log. It runs a little past 300 lines
// on purpose: each verb is short, and they share the rules above; split, a reader would have to
// gather them again from several files.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SessionContext } from '../accounts/accounts-service.ts';
import { type Actor, listActivity, recordActivity } from '../activity/activity-log.ts';
import type { ConnectionStatusResponse, ConnectionView, PendingPagesResponse } from '../contract.ts';
import { queueHistoryImports } from '../history/history-requests.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import { classifyGraphError } from '../meta/graph-error-class.ts';
import { type PageWithInstagram, pageAccessToken } from '../meta/pages.ts';
import type { TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { isUniqueViolation } from '../storage/unique-violation.ts';
import type { ConnectionAlerts } from './connection-alerts.ts';
import {
  metaActionFailure,
  NoPendingPagesError,
  NotConnectedError,
  PageAlreadyConnectedError,
  PageNotInListError,
  PageTokenUnavailableError,
  PageUnavailableError,
} from './connection-errors.ts';
import type { ConnectionRow } from './connection-repository.ts';
import * as repo from './connection-repository.ts';
import { toConnectionView } from './connection-view.ts';
import {
  applyInstagramLink,
  type InstagramLink,
  readInstagramLink,
  releaseInstagramElsewhere,
} from './instagram-link.ts';
import { pageTokenAad } from './page-token.ts';
import { openPageTokenOrFlag } from './page-token-reader.ts';
import type { PendingPagesStore } from './pending-pages-store.ts';
import type { SubscriptionService } from './subscription-service.ts';
import { queueUnsubscribe } from './unsubscribe-job.ts';

export { pageTokenAad } from './page-token.ts';

export interface ConnectionServiceDeps {
  db: Kysely<DatabaseSchema>;
  cipher: TokenCipher;
  graph: GraphClient;
  subscriptions: SubscriptionService;
  pending: PendingPagesStore;
  now: () => number;
  logger: Logger;
  alerts?: ConnectionAlerts;
  /** HISTORY_IMPORT_DAYS: conversations active this many days back are imported on connect (0 = off). */
  historyImportDays?: number;
}

export type SaveOutcome = { connection: ConnectionView; subscribed: boolean };
export const sessionActor = (s: SessionContext) => ({ userId: s.user.id, email: s.user.email });

export class ConnectionService {
  constructor(private readonly d: ConnectionServiceDeps) {}

  async status(orgId: string): Promise<ConnectionStatusResponse> {
    const row = await repo.findByOrg(this.d.db, orgId);
    if (!row) return { connected: false };
    return { connected: true, connection: await this.view(row) };
  }

  unavailableReason(page: Pick<PageWithInstagram, 'id' | 'tasks'>, elsewhere: Set<string>) {
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
      dropped_pages: entry.droppedPages ?? [],
    };
  }

  async selectPage(session: SessionContext, pageId: string): Promise<SaveOutcome> {
    const orgId = session.organization.id;
    const userId = session.user.id;
    const entry = await this.d.pending.load(orgId, userId);
    if (!entry) return this.alreadyChosen(orgId, userId, pageId);
    const page = entry.pages.find((p) => p.id === pageId);
    if (!page) throw new PageNotInListError();
    const elsewhere = await repo.pagesConnectedElsewhere(this.d.db, orgId, [page.id]);
    const reason = this.unavailableReason(page, elsewhere);
    if (reason === 'connected_to_another_organization') throw new PageAlreadyConnectedError();
    if (reason)
      throw new PageUnavailableError("You can't manage messages for this Page; ask its admin for that task");
    const taken = await this.d.pending.take(orgId, userId);
    // A double submit: the first choice took the list. Answer with what it saved.
    if (!taken) return this.alreadyChosen(orgId, userId, pageId);
    try {
      const accessToken = await this.longLivedPageToken(page.id, taken.userToken);
      return await this.savePage(orgId, sessionActor(session), { ...page, accessToken }, taken.fbUserId, {
        chosen: true,
      });
    } catch (err) {
      // Nothing was saved: give the list back so the admin can choose again.
      await this.d.pending.restore(orgId, userId, taken);
      throw err;
    } finally {
      await this.d.pending.chosen(orgId, userId);
    }
  }

  /**
   * Saves the Page as the organization's connection, then subscribes its webhooks. The row is written
   * first (so no webhook arriving meanwhile is lost) but reads `active` only once every subscription
   * succeeded (R31); a failure leaves `needs_attention` and a queued retry. Reconnecting the same Page
   * replaces its token in place and keeps the connection, its date and its history.
   */
  async savePage(
    orgId: string,
    actor: { userId: string; email: string },
    page: PageWithInstagram,
    fbUserId: string | null,
    opts: { chosen?: boolean; listedJustNow?: boolean } = {},
  ): Promise<SaveOutcome> {
    // A listing Meta gave during this very request is already its newest answer; re-reading it would
    // add a sequential round trip to every one-Page connect. The picker's list may be minutes old.
    const instagram = opts.listedJustNow ? page.instagram : await this.currentInstagram(page);
    const t = this.d.now();
    const previous = await repo.findByOrg(this.d.db, orgId);
    const samePage = previous?.facebook_page_id === page.id;
    const row: ConnectionRow = {
      org_id: orgId,
      facebook_page_id: page.id,
      facebook_page_name: page.name,
      page_access_token: this.d.cipher.encrypt(page.accessToken, pageTokenAad(orgId, page.id)),
      instagram_business_account_id: instagram?.id ?? null,
      instagram_username: instagram?.username ?? null,
      status: 'needs_attention',
      status_reason: 'Subscribing to webhooks…',
      webhook_page: 'pending',
      webhook_app_page: 'pending',
      webhook_app_instagram: 'pending',
      connected_by_user_id: actor.userId,
      connected_by_fb_user_id: fbUserId,
      connected_at: samePage ? previous.connected_at : t,
      updated_at: t,
      last_health_check_at: null,
      last_webhook_at: samePage ? previous.last_webhook_at : null,
      data_access_expires_at: null,
      alerted_status: null,
    };
    try {
      await this.d.db.transaction().execute(async (tx) => {
        const owner = await repo.findByPageId(tx, page.id);
        if (owner && owner.org_id !== orgId) throw new PageAlreadyConnectedError();
        // Before the upsert: the unique index admits one holder of an Instagram account.
        if (instagram) {
          await releaseInstagramElsewhere(tx, {
            igId: instagram.id,
            keepOrgId: orgId,
            t,
            logger: this.d.logger,
          });
        }
        await repo.upsert(tx, row);
        if (previous && !samePage) await queueUnsubscribe(tx, this.d.cipher, previous, t, this.d.logger);
        // First connect or reconnect: bring the Page's recent conversations in (issue 13).
        await queueHistoryImports(tx, {
          orgId,
          pageId: page.id,
          igId: instagram?.id ?? null,
          days: this.d.historyImportDays ?? 0,
          now: t,
        });
        const detail = `${page.name}${instagram?.username ? ` and @${instagram.username}` : ''}`;
        if (opts.chosen)
          await recordActivity(tx, { orgId, kind: 'page_chosen', actor, pageId: page.id, detail, at: t });
        await recordActivity(tx, {
          orgId,
          kind: samePage ? 'reconnected' : 'connected',
          actor,
          pageId: page.id,
          detail,
          at: t,
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new PageAlreadyConnectedError();
      throw err;
    }
    this.d.logger.info({ orgId, pageId: page.id, reconnect: samePage }, 'meta page connected');
    // The subscription's outcome tells the organization's screens (connectionChanged), saved row and all.
    const subscribed = await this.d.subscriptions.subscribe(orgId, page.id, page.accessToken, actor);
    const saved = await repo.findByOrg(this.d.db, orgId);
    return { connection: await this.view(saved!), subscribed };
  }

  /** Re-reads the Page's linked Instagram account (moved, linked or unlinked) without a new login. */
  async refreshInstagram(session: SessionContext): Promise<ConnectionView> {
    const orgId = session.organization.id;
    const row = await repo.findByOrg(this.d.db, orgId);
    if (!row) throw new NotConnectedError();
    // Unreadable (key retired): the row is now reauth_required, which is what the admin should see.
    const token = await openPageTokenOrFlag(this.d, row);
    if (token === null) return this.view((await repo.findByOrg(this.d.db, orgId))!);
    let ig: InstagramLink;
    try {
      ig = await readInstagramLink(this.d.graph, row.facebook_page_id, token, null);
    } catch (err) {
      throw metaActionFailure(err);
    }
    const changed = await applyInstagramLink(this.d.db, row, ig, {
      t: this.d.now(),
      actor: sessionActor(session),
      logger: this.d.logger,
      recordUnchanged: true,
    });
    if (changed) this.d.alerts?.connectionChanged(orgId, row.facebook_page_id);
    return this.view((await repo.findByOrg(this.d.db, orgId))!);
  }

  /** Deletes the row and its token in one transaction and queues the unsubscribe (R47, R48). */
  async disconnect(orgId: string, actor: Actor): Promise<boolean> {
    const t = this.d.now();
    const removed = await this.d.db.transaction().execute(async (tx) => {
      const row = await repo.deleteByOrg(tx, orgId);
      if (row) {
        await queueUnsubscribe(tx, this.d.cipher, row, t, this.d.logger);
        await tx.deleteFrom('jobs').where('dedupe_key', '=', `meta.subscribe:${orgId}`).execute();
        await recordActivity(tx, {
          orgId,
          kind: 'disconnected',
          actor,
          pageId: row.facebook_page_id,
          detail: row.facebook_page_name,
          at: t,
        });
      }
      return row;
    });
    if (removed) {
      this.d.logger.info({ orgId, pageId: removed.facebook_page_id }, 'meta page disconnected');
      this.d.alerts?.connectionChanged(orgId, removed.facebook_page_id);
    }
    return removed !== null;
  }

  async activity(orgId: string) {
    const rows = await listActivity(this.d.db, orgId);
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      actor: r.actor_label,
      page_id: r.page_id,
      detail: r.detail,
      at: new Date(r.created_at).toISOString(),
    }));
  }

  async view(row: ConnectionRow): Promise<ConnectionView> {
    return toConnectionView(row, await repo.findConnectedBy(this.d.db, row.connected_by_user_id));
  }

  /**
   * The listing may be minutes old (the picker's cache): ask Meta which account the Page holds now,
   * since the newest answer wins. If Meta cannot answer, the listing's answer stands.
   */
  private async currentInstagram(page: PageWithInstagram): Promise<InstagramLink> {
    try {
      return await readInstagramLink(this.d.graph, page.id, page.accessToken, page.instagram);
    } catch (err) {
      this.d.logger.warn(
        { pageId: page.id, cls: classifyGraphError(err) },
        'could not re-read the Instagram link; keeping the listing',
      );
      return page.instagram;
    }
  }

  /** The Page's never-expiring token, asked for with the long-lived user token (see pending-pages-store). */
  async longLivedPageToken(pageId: string, userToken: string): Promise<string> {
    try {
      return await pageAccessToken(this.d.graph, pageId, userToken);
    } catch (err) {
      this.d.logger.warn({ pageId, cls: classifyGraphError(err) }, 'could not get the Page token');
      throw new PageTokenUnavailableError();
    }
  }

  /** A double submit: wait (bounded) for the first choice to finish, then answer with what it saved. */
  private async alreadyChosen(orgId: string, userId: string, pageId: string): Promise<SaveOutcome> {
    for (let i = 0; i < 100 && (await this.d.pending.isChoosing(orgId, userId)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const current = await repo.findByOrg(this.d.db, orgId);
    if (current?.facebook_page_id === pageId)
      return { connection: await this.view(current), subscribed: true };
    throw new NoPendingPagesError();
  }
}

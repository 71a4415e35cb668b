// The seed's flow, start to finish: the dialog URL with a fresh state, and the callback saga
// (state → session check → code exchange → long-lived token → Pages with Instagram → auto-save,
// picker or error). Every outcome is one of CONTRACT §4's redirects; nothing here throws to the route.
//
// One deadline covers the whole callback (F10): whatever Meta does — slow answers, hung connections,
// 5xx — the browser gets its redirect within CONNECT_DEADLINE_MS of arriving. Every Graph call made on
// the way (the exchanges, the listing, debug_token beside it, the subscriptions inside savePage) runs
// under GraphClient.withDeadline, so no attempt outlives it and no retry starts that cannot fit.

import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SessionContext } from '../accounts/accounts-service.ts';
import type { MetaErrorCode } from '../contract.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import {
  createAuthorizationURL,
  debugToken,
  exchangeCode,
  exchangeLongLived,
  type LoginDialogOptions,
} from '../meta/meta-oauth.ts';
import { listPagesWithInstagram } from '../meta/pages.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { PageAlreadyConnectedError } from './connection-errors.ts';
import * as repo from './connection-repository.ts';
import type { ConnectionService } from './connection-service.ts';
import type { OAuthTransactions } from './oauth-transactions.ts';
import type { PendingPagesStore } from './pending-pages-store.ts';

export const INTEGRATIONS_PATH = '/settings/tab/integrations';

/** The longest a browser waits on the callback (security requirements F10). */
export const CONNECT_DEADLINE_MS = 15_000;
/** Kept back from the Graph calls' share of the deadline for the database writes and the redirect. */
const SAVE_RESERVE_MS = 2_000;

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

export interface OAuthFlowDeps {
  db: Kysely<DatabaseSchema>;
  graph: GraphClient;
  appSecret: string;
  dialog: LoginDialogOptions;
  transactions: OAuthTransactions;
  pending: PendingPagesStore;
  connections: ConnectionService;
  logger: Logger;
  /** Overrides CONNECT_DEADLINE_MS (tests use a short one). */
  deadlineMs?: number;
}

const MANAGER_ROLES = new Set(['owner', 'admin']);

export class OAuthFlow {
  constructor(private readonly d: OAuthFlowDeps) {}

  async start(session: SessionContext, browserId: string): Promise<string> {
    const state = await this.d.transactions.start(session.organization.id, session.user.id, browserId);
    return createAuthorizationURL(this.d.graph, this.d.dialog, state);
  }

  /** Returns the path (with query) to redirect the browser to. */
  async callback(
    query: CallbackQuery,
    session: SessionContext | null,
    browserId: string | null,
  ): Promise<string> {
    // Wall-clock time, not the injectable clock: the deadline is about a real browser waiting.
    const arrived = Date.now();
    const consumed = await this.d.transactions.consume(query.state, browserId);
    if (consumed.kind === 'finished') return consumed.redirect;
    if (consumed.kind === 'invalid') {
      this.d.logger.warn({ orgId: session?.organization.id ?? null }, 'oauth callback with an invalid state');
      return errorPath('invalid_state');
    }
    const { tx, stateHash } = consumed;
    const deadlineMs = this.d.deadlineMs ?? CONNECT_DEADLINE_MS;
    const graphDeadline = arrived + deadlineMs - Math.min(SAVE_RESERVE_MS, deadlineMs / 5);
    const redirect = await this.d.graph.withDeadline(graphDeadline, () => this.complete(query, tx, session));
    await this.d.transactions.finish(stateHash, browserId!, redirect);
    return redirect;
  }

  private async complete(
    query: CallbackQuery,
    tx: { orgId: string; userId: string },
    session: SessionContext | null,
  ): Promise<string> {
    // The organization and user come from the transaction, never the URL, and must still be this
    // session's, with a role that may manage integrations (R2, R9, R24).
    if (
      !session ||
      session.user.id !== tx.userId ||
      session.organization.id !== tx.orgId ||
      !MANAGER_ROLES.has(session.role)
    ) {
      this.d.logger.warn({ orgId: tx.orgId }, 'oauth callback for another session or role');
      return errorPath('invalid_state');
    }
    // This login replaces whatever an earlier one left to choose from, whatever it ends in: otherwise a
    // one-Page connect (or a cancel) after a picker that was left open would come back to Settings still
    // offering "Continue choosing" from the earlier, superseded grant.
    await this.d.pending.discard(tx.orgId, tx.userId);
    // Cancel and other dialog errors: no token call, and error_description is never reflected (R8).
    if (query.error)
      return errorPath(query.error === 'access_denied' ? 'access_denied' : 'token_exchange_failed');
    if (!query.code || query.code.length > 2000) return errorPath('token_exchange_failed');

    let shortLived: string;
    try {
      shortLived = (await exchangeCode(this.d.graph, query.code, this.d.dialog.redirectUri, this.d.appSecret))
        .accessToken;
    } catch (err) {
      this.d.logger.warn({ orgId: tx.orgId, err: summarize(err) }, 'code exchange failed');
      return errorPath('token_exchange_failed');
    }
    // Three calls side by side, one round trip: the long-lived exchange; the Pages, listed with the
    // short-lived token (their tokens are never kept: the chosen Page's never-expiring token is asked for
    // with the long-lived one); and debug_token, which names the Facebook user that Meta's deauthorize
    // and data-deletion callbacks identify connections by — a connection saved without it could never
    // be found by them (R47), so it is required.
    const [longLived, listing, identity] = await Promise.all([
      settle(exchangeLongLived(this.d.graph, shortLived, this.d.appSecret)),
      settle(listPagesWithInstagram(this.d.graph, shortLived)),
      settle(debugToken(this.d.graph, shortLived)),
    ]);
    if (!longLived.ok) {
      this.d.logger.warn({ orgId: tx.orgId, err: summarize(longLived.err) }, 'long-lived exchange failed');
      return errorPath('token_exchange_failed');
    }
    const userToken = longLived.value.accessToken;
    if (!listing.ok) {
      this.d.logger.warn({ orgId: tx.orgId, err: summarize(listing.err) }, 'listing pages failed');
      return errorPath('pages_fetch_failed');
    }
    const pages = listing.value;
    if (!identity.ok || !identity.value.is_valid || !identity.value.user_id) {
      // Still unknown after the client's retries within the deadline: refuse rather than save a
      // connection that deletion requests cannot reach. token_exchange_failed is the code CONTRACT §4
      // has for "we could not establish whose token this is"; the admin simply connects again.
      this.d.logger.warn(
        {
          orgId: tx.orgId,
          err: identity.ok ? { valid: identity.value.is_valid } : summarize(identity.err),
        },
        'debug_token did not name the Facebook user',
      );
      return errorPath('token_exchange_failed');
    }
    const who = identity.value;
    if (who.app_id && who.app_id !== this.d.graph.appId) {
      this.d.logger.warn({ orgId: tx.orgId }, 'token was issued to another app');
      return errorPath('token_exchange_failed');
    }
    const fbUserId: string = who.user_id!;

    if (pages.length === 0) return errorPath('no_pages');
    const actor = { userId: tx.userId, email: session.user.email };
    // Grant-shrink guard (field lessons row 3): Meta replaces this Facebook user's Page selection for
    // the app, so a Page they connected before (here or in another organization) that is missing from
    // the new grant would silently stop working. Warn before anything is saved.
    const dropped = await this.droppedPages(fbUserId, tx.orgId, pages);
    if (pages.length === 1 && dropped.length === 0) {
      const page = pages[0]!;
      const elsewhere = await repo.pagesConnectedElsewhere(this.d.db, tx.orgId, [page.id]);
      const reason = this.d.connections.unavailableReason(page, elsewhere);
      if (reason === 'connected_to_another_organization') return errorPath('page_already_connected');
      if (reason === null) {
        let accessToken: string;
        try {
          accessToken = await this.d.connections.longLivedPageToken(page.id, userToken);
        } catch {
          return errorPath('pages_fetch_failed');
        }
        try {
          const saved = await this.d.connections.savePage(
            tx.orgId,
            actor,
            { ...page, accessToken },
            fbUserId,
            {
              listedJustNow: true,
            },
          );
          return saved.subscribed ? INTEGRATIONS_PATH : errorPath('webhook_subscription_failed');
        } catch (err) {
          if (err instanceof PageAlreadyConnectedError) return errorPath('page_already_connected');
          throw err;
        }
      }
      // The only Page cannot be used (no messaging task): show it in the picker with its reason.
    }
    await this.d.pending.save(tx.orgId, tx.userId, { pages, userToken, fbUserId }, dropped);
    return `${INTEGRATIONS_PATH}?meta_select_page=true${dropped.length ? '&meta_warning=grant_shrink' : ''}`;
  }

  private async droppedPages(fbUserId: string, orgId: string, granted: Array<{ id: string }>) {
    const grantedIds = new Set(granted.map((p) => p.id));
    const connected = await repo.findByFacebookUser(this.d.db, fbUserId);
    return connected
      .filter((c) => !grantedIds.has(c.facebook_page_id))
      .map((c) => ({
        id: c.facebook_page_id,
        name: c.facebook_page_name,
        same_organization: c.org_id === orgId,
      }));
  }
}

export const errorPath = (code: MetaErrorCode) => `${INTEGRATIONS_PATH}?meta_error=${code}`;

type Settled<T> = { ok: true; value: T } | { ok: false; err: unknown };
const settle = <T>(work: Promise<T>): Promise<Settled<T>> =>
  work.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, err }),
  );

/** Error facts safe to log: class, Meta code and subcode; never the message (it may echo input). */
function summarize(err: unknown) {
  const e = err as { name?: string; code?: unknown; subcode?: unknown; kind?: unknown };
  return { name: e?.name, code: e?.code, subcode: e?.subcode, kind: e?.kind };
}

// The proactive health check (issue 6): connections mostly die by revocation, silently. For each
// connection ask Meta whether the Page token is still valid and still carries the permissions Parley
// needs (debug_token), and whether our app is still subscribed on the Page with every field
// (GET subscribed_apps). The verdict is stored on the row and shown to admins; lost subscriptions are
// re-made in the background. Classification is by Meta's code, never its message. debug_token also
// names the Facebook user behind the token: an older connection saved without that id gets it here,
// so Meta's deauthorize and data-deletion callbacks (keyed by it) find every connection. And the
// Page's Instagram link is re-read: an account relinked to another connection's Page moves there.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { recordActivity } from '../activity/activity-log.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import { classifyGraphError, describeGraphFailure } from '../meta/graph-error-class.ts';
import { debugToken } from '../meta/meta-oauth.ts';
import { pageSubscribedFields } from '../meta/pages.ts';
import type { TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { ConnectionAlerts } from './connection-alerts.ts';
import type { ConnectionRow } from './connection-repository.ts';
import * as repo from './connection-repository.ts';
import type { ConnectionStatus } from './connection-table.ts';
import { applyInstagramLink, type InstagramLink, readInstagramLink } from './instagram-link.ts';
import { openPageToken, UNREADABLE_TOKEN_REASON } from './page-token-reader.ts';
import type { SubscriptionService } from './subscription-service.ts';

export interface HealthDeps {
  db: Kysely<DatabaseSchema>;
  cipher: TokenCipher;
  graph: GraphClient;
  subscriptions: SubscriptionService;
  pageFields: string[];
  now: () => number;
  logger: Logger;
  alerts?: ConnectionAlerts;
}

interface Verdict {
  status: ConnectionStatus;
  reason: string | null;
  dataAccessExpiresAt: number | null;
  resubscribe: boolean;
  /** The Facebook user debug_token names, when it answered. */
  fbUserId?: string | null;
}

export class ConnectionHealth {
  constructor(private readonly d: HealthDeps) {}

  async checkAll(): Promise<number> {
    const rows = await repo.listAll(this.d.db);
    for (const row of rows) {
      await this.checkRow(row).catch((err) =>
        this.d.logger.warn({ orgId: row.org_id, err: { name: (err as Error)?.name } }, 'health check failed'),
      );
    }
    return rows.length;
  }

  /** "Check now": false when Meta could not be reached, so nothing was learnt (the row is unchanged). */
  async check(orgId: string): Promise<boolean> {
    const row = await repo.findByOrg(this.d.db, orgId);
    return row ? this.checkRow(row) : true;
  }

  private async checkRow(row: ConnectionRow): Promise<boolean> {
    const verdict = await this.verdict(row);
    if (verdict === null) return false; // Meta unreachable: no news is not bad news; try next period.
    const t = this.d.now();
    if (row.connected_by_fb_user_id === null && verdict.fbUserId) {
      await repo.fillFacebookUser(this.d.db, row.org_id, row.facebook_page_id, verdict.fbUserId);
    }
    await repo.updateHealth(this.d.db, row.org_id, row.facebook_page_id, {
      status: verdict.status,
      status_reason: verdict.reason,
      last_health_check_at: t,
      data_access_expires_at: verdict.dataAccessExpiresAt,
      ...(verdict.resubscribe ? { webhook_page: 'failed' as const } : {}),
      updated_at: t,
    });
    if (verdict.status !== row.status) {
      const kind =
        verdict.status === 'active'
          ? 'health_restored'
          : verdict.status === 'reauth_required'
            ? 'token_rejected'
            : verdict.resubscribe
              ? 'subscription_failed'
              : 'permission_missing';
      await recordActivity(this.d.db, {
        orgId: row.org_id,
        kind,
        actor: 'parley',
        pageId: row.facebook_page_id,
        detail: verdict.reason,
        at: t,
      });
    }
    // Every change goes out live; mail only for reauth_required (its claim keeps it to one mail).
    if (verdict.status !== row.status || verdict.status === 'reauth_required' || verdict.resubscribe)
      this.d.alerts?.connectionChanged(row.org_id, row.facebook_page_id);
    if (verdict.resubscribe) await this.d.subscriptions.queueRetry(row.org_id, row.facebook_page_id, t);
    if (verdict.status !== 'reauth_required')
      await this.refreshInstagram(row.org_id, row.facebook_page_id, t);
    return true;
  }

  /** Meta may have relinked the Page's Instagram account (to or from another connection's Page). */
  private async refreshInstagram(orgId: string, pageId: string, t: number): Promise<void> {
    // Read again: checking another connection in this round may have taken its account.
    const row = await repo.findByOrg(this.d.db, orgId);
    if (!row || row.facebook_page_id !== pageId) return;
    const token = openPageToken(this.d.cipher, row);
    if (token === null) return;
    const known = row.instagram_business_account_id
      ? { id: row.instagram_business_account_id, username: row.instagram_username }
      : null;
    let ig: InstagramLink;
    try {
      ig = await readInstagramLink(this.d.graph, pageId, token, known);
    } catch (err) {
      this.d.logger.warn({ orgId, pageId, cls: classifyGraphError(err) }, 'instagram link check failed');
      return;
    }
    if (await applyInstagramLink(this.d.db, row, ig, { t, actor: 'meta', logger: this.d.logger }))
      this.d.alerts?.connectionChanged(orgId, pageId);
  }

  private async verdict(row: ConnectionRow): Promise<Verdict | null> {
    const token = openPageToken(this.d.cipher, row);
    if (token === null) {
      this.d.logger.warn(
        {
          orgId: row.org_id,
          pageId: row.facebook_page_id,
          keyId: this.d.cipher.keyIdOf(row.page_access_token),
        },
        'page token cannot be decrypted: connection needs a new login',
      );
      return {
        status: 'reauth_required',
        reason: UNREADABLE_TOKEN_REASON,
        dataAccessExpiresAt: null,
        resubscribe: false,
      };
    }
    let info: Awaited<ReturnType<typeof debugToken>>;
    try {
      info = await debugToken(this.d.graph, token);
    } catch (err) {
      return this.fromError(err);
    }
    const fbUserId = info.user_id ?? null;
    const dataAccessExpiresAt = info.data_access_expires_at ? info.data_access_expires_at * 1000 : null;
    if (!info.is_valid) {
      return {
        status: 'reauth_required',
        reason:
          'Meta says the Page access token is no longer valid (the password changed, the Page role was removed, or the app was removed); reconnect with Facebook.',
        dataAccessExpiresAt,
        resubscribe: false,
        fbUserId,
      };
    }
    const needed = ['pages_messaging', 'pages_manage_metadata'];
    if (row.instagram_business_account_id) needed.push('instagram_manage_messages');
    const missing = info.scopes ? needed.filter((s) => !info.scopes!.includes(s)) : [];
    if (missing.length > 0) {
      return {
        status: 'needs_attention',
        reason: `Meta no longer grants ${missing.join(', ')}; reconnect with Facebook and allow every requested permission.`,
        dataAccessExpiresAt,
        resubscribe: false,
        fbUserId,
      };
    }
    let fields: string[] | null;
    try {
      fields = await pageSubscribedFields(this.d.graph, row.facebook_page_id, token);
    } catch (err) {
      const failed = this.fromError(err);
      return failed && { ...failed, fbUserId };
    }
    const lost = fields === null ? this.d.pageFields : this.d.pageFields.filter((f) => !fields!.includes(f));
    if (lost.length > 0) {
      return {
        status: 'needs_attention',
        reason: `The Page is no longer subscribed to ${lost.join(', ')}; Parley is subscribing it again.`,
        dataAccessExpiresAt,
        resubscribe: true,
        fbUserId,
      };
    }
    const stillFailing = [row.webhook_app_page, row.webhook_app_instagram].includes('failed');
    return {
      status: stillFailing ? 'needs_attention' : 'active',
      reason: stillFailing ? row.status_reason : null,
      dataAccessExpiresAt,
      resubscribe: false,
      fbUserId,
    };
  }

  private fromError(err: unknown): Verdict | null {
    const cls = classifyGraphError(err);
    if (cls === 'reauth_required') {
      return {
        status: 'reauth_required',
        reason: describeGraphFailure(err),
        dataAccessExpiresAt: null,
        resubscribe: false,
      };
    }
    if (cls === 'permission') {
      return {
        status: 'needs_attention',
        reason: describeGraphFailure(err),
        dataAccessExpiresAt: null,
        resubscribe: false,
      };
    }
    return null;
  }
}

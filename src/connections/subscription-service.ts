// Webhook subscriptions of a saved connection: subscribe now, record the outcome on the row and in
// the activity log, and retry in the background while it keeps failing (R31). A token Meta rejects
// turns the connection to reauth_required and stops the retries (R32).
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type Actor, recordActivity } from '../activity/activity-log.ts';
import * as jobs from '../jobs/job-repository.ts';
import { classifyGraphError, describeGraphFailure } from '../meta/graph-error-class.ts';
import type { TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { ConnectionAlerts } from './connection-alerts.ts';
import { NotConnectedError } from './connection-errors.ts';
import * as repo from './connection-repository.ts';
import { openPageTokenOrFlag } from './page-token-reader.ts';
import { allSubscribed, type SubscriberOptions, subscribeAll } from './webhook-subscriber.ts';

export const SUBSCRIBE_JOB = 'meta.subscribe';

export interface SubscriptionServiceDeps {
  db: Kysely<DatabaseSchema>;
  cipher: TokenCipher;
  subscriber: SubscriberOptions;
  now: () => number;
  logger: Logger;
  alerts?: ConnectionAlerts;
}

export class SubscriptionService {
  constructor(private readonly d: SubscriptionServiceDeps) {}

  /** Subscribes and records the outcome; true when all three subscriptions hold. */
  async subscribe(
    orgId: string,
    pageId: string,
    pageToken: string,
    actor: Actor,
    opts: { fromJob?: boolean } = {},
  ): Promise<boolean> {
    const outcome = await subscribeAll(this.d.subscriber, pageId, pageToken);
    const ok = allSubscribed(outcome);
    const cls = ok ? null : classifyGraphError(outcome.error);
    const status = ok ? 'active' : cls === 'reauth_required' ? 'reauth_required' : 'needs_attention';
    const t = this.d.now();
    const reason = ok ? null : `Webhook subscription failed: ${describeGraphFailure(outcome.error)}`;
    await repo.updateHealth(this.d.db, orgId, pageId, {
      status,
      status_reason: reason,
      webhook_page: outcome.page,
      webhook_app_page: outcome.app_page,
      webhook_app_instagram: outcome.app_instagram,
      updated_at: t,
    });
    await recordActivity(this.d.db, {
      orgId,
      kind: ok ? 'subscribed' : status === 'reauth_required' ? 'token_rejected' : 'subscription_failed',
      actor,
      pageId,
      detail: reason,
      at: t,
    });
    if (!ok) {
      this.d.logger.warn({ orgId, pageId, cls }, 'webhook subscription failed');
      if (status === 'needs_attention' && !opts.fromJob) await this.queueRetry(orgId, pageId, t);
    }
    // Live either way (a background retry that succeeds clears the banner). Mail: a failed background
    // retry means the subscription keeps failing; a rejected token always mails.
    this.d.alerts?.connectionChanged(orgId, pageId, {
      subscriptionKeepsFailing: !ok && opts.fromJob === true,
    });
    return ok;
  }

  async queueRetry(orgId: string, pageId: string, t: number) {
    await jobs.enqueue(this.d.db, {
      kind: SUBSCRIBE_JOB,
      payload: { org_id: orgId, page_id: pageId },
      dedupeKey: `${SUBSCRIBE_JOB}:${orgId}`,
      runAt: t + 5_000,
      now: t,
    });
  }

  /** The admin's Retry button. */
  async retry(orgId: string, actor: Actor): Promise<void> {
    const row = await repo.findByOrg(this.d.db, orgId);
    if (!row) throw new NotConnectedError();
    const token = await openPageTokenOrFlag(this.d, row);
    if (token === null) return; // now reauth_required: only a new login helps
    await this.subscribe(orgId, row.facebook_page_id, token, actor);
  }

  /** Background retry; throws to be retried later while the failure persists. */
  async runJob(payload: { org_id: string; page_id: string }): Promise<void> {
    const row = await repo.findByOrg(this.d.db, payload.org_id);
    if (!row || row.facebook_page_id !== payload.page_id || row.status === 'reauth_required') return;
    const token = await openPageTokenOrFlag(this.d, row);
    if (token === null) return;
    const ok = await this.subscribe(row.org_id, row.facebook_page_id, token, 'parley', { fromJob: true });
    if (!ok) {
      const after = await repo.findByOrg(this.d.db, payload.org_id);
      if (after?.status === 'needs_attention') throw new Error(after.status_reason ?? 'subscription failed');
    }
  }
}

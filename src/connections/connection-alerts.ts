// Connection alerts: the organization hears when its Meta connection changed. Every signed-in member
// at once, live: a `connection.updated` event, on which the health banner, the Meta card and the
// composer read the connection again (a revoked token, a deauthorize or a recovery shows without a
// reload). Its owners and admins by mail (issue 14 item 5; SMTP_URL set): when a Page needs
// reconnecting (reauth_required, from any path), when its webhook subscriptions keep failing (a
// background retry failed too), and when Meta sent a data-deletion request. Callers call in after
// their change has committed and do not wait: neither path delays nor fails the transition. One mail
// per connection per state it enters, even with several instances checking: the repository's claimAlert
// is the single winner, and a healthy connection clears the claim (connection-repository.ts).
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { managersOf } from '../accounts/members-repository.ts';
import type { LiveBus } from '../live/live-bus.ts';
import {
  deletionRequestMail,
  reconnectMail,
  subscriptionFailingMail,
} from '../mail/connection-alert-mail.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import * as repo from './connection-repository.ts';

export interface ConnectionAlertsDeps {
  db: Kysely<DatabaseSchema>;
  /** null without SMTP_URL: no alerts at all (the Integrations card and the banner still say it). */
  mailer: Mailer | null;
  logger: Logger;
  publicUrl: string;
  bus: LiveBus;
}

export class ConnectionAlerts {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly d: ConnectionAlertsDeps) {}

  /**
   * The connection changed (its status, subscriptions, Instagram link; saved or removed): tells the
   * organization's open screens, and mails its managers if it now needs reconnecting, or, with
   * `subscriptionKeepsFailing`, if it is needs_attention after a failed background retry.
   */
  connectionChanged(orgId: string, pageId: string, opts: { subscriptionKeepsFailing?: boolean } = {}): void {
    this.announce(orgId);
    if (this.d.mailer)
      this.track(() => this.mailStatus(orgId, pageId, opts.subscriptionKeepsFailing === true));
  }

  /** Meta's data-deletion callback deleted these connections (already committed). */
  deletionRequested(rows: Array<{ org_id: string; facebook_page_name: string }>, code: string): void {
    const byOrg = new Map<string, string[]>();
    for (const row of rows) byOrg.set(row.org_id, [...(byOrg.get(row.org_id) ?? []), row.facebook_page_name]);
    for (const [orgId, pages] of byOrg) {
      this.announce(orgId);
      if (!this.d.mailer) continue;
      this.track(async () => {
        const { organization, emails } = await managersOf(this.d.db, orgId);
        for (const to of emails) {
          await this.d.mailer!.send(
            deletionRequestMail({ to, organization, pages, code, url: this.integrationsUrl() }),
          );
        }
      });
    }
  }

  /** Sends still in flight (tests and shutdown wait for them). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private announce(orgId: string): void {
    this.track(() => this.d.bus.publish(orgId, { type: 'connection.updated' }));
  }

  private track(work: () => Promise<void>): void {
    const p = work()
      .catch((err) =>
        this.d.logger.warn({ err: { name: (err as Error)?.name } }, 'connection alert not sent'),
      )
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private async mailStatus(orgId: string, pageId: string, subscriptionKeepsFailing: boolean) {
    const row = await repo.findByOrg(this.d.db, orgId);
    if (!row || row.facebook_page_id !== pageId) return;
    const compose =
      row.status === 'reauth_required'
        ? reconnectMail
        : row.status === 'needs_attention' && subscriptionKeepsFailing
          ? subscriptionFailingMail
          : null;
    if (!compose || !(await repo.claimAlert(this.d.db, orgId, pageId, row.status))) return;
    const { organization, emails } = await managersOf(this.d.db, orgId);
    for (const to of emails) {
      await this.d.mailer!.send(
        compose({
          to,
          organization,
          page: row.facebook_page_name,
          reason: row.status_reason,
          url: this.integrationsUrl(),
        }),
      );
    }
  }

  private integrationsUrl() {
    return `${this.d.publicUrl}/settings/tab/integrations`;
  }
}

// Meta's account callbacks (R49; field lessons rows 10–11), keyed by the app-scoped id of the Facebook
// user who logged in — not the customers' ids. Deauthorize: that person removed Parley, so every
// connection they made needs a new login. Data deletion: delete every connection they made, with its
// token, and keep a record under a confirmation code for the public status page. Conversations belong
// to the organizations and stay (documented in the README).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { recordActivity } from '../activity/activity-log.ts';
import type { TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { ConnectionAlerts } from './connection-alerts.ts';
import * as repo from './connection-repository.ts';
import { queueUnsubscribe } from './unsubscribe-job.ts';

export interface AccountCallbackDeps {
  db: Kysely<DatabaseSchema>;
  cipher: TokenCipher;
  now: () => number;
  logger: Logger;
  alerts?: ConnectionAlerts;
  /**
   * Removes the kept media of a connection's conversations (issue 13: data deletion removes media; the
   * messages stay and say "media no longer available"). Set by app.ts once media exists.
   */
  hooks?: { purgeMedia?: (orgId: string, accountIds: string[]) => Promise<void> };
}

export async function deauthorize(d: AccountCallbackDeps, fbUserId: string): Promise<number> {
  const rows = await repo.findByFacebookUser(d.db, fbUserId);
  const t = d.now();
  for (const row of rows) {
    await d.db.transaction().execute(async (tx) => {
      await repo.updateHealth(tx, row.org_id, row.facebook_page_id, {
        status: 'reauth_required',
        status_reason:
          'The Facebook user who connected this Page removed Parley from their account; reconnect with Facebook.',
        updated_at: t,
      });
      await recordActivity(tx, {
        orgId: row.org_id,
        kind: 'deauthorized',
        actor: 'meta',
        pageId: row.facebook_page_id,
        detail: row.facebook_page_name,
        at: t,
      });
    });
    d.alerts?.connectionChanged(row.org_id, row.facebook_page_id);
  }
  d.logger.info({ connections: rows.length }, 'meta deauthorize callback');
  return rows.length;
}

export async function deleteUserData(d: AccountCallbackDeps, fbUserId: string): Promise<string> {
  const code = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x');
  const t = d.now();
  const rows = await repo.findByFacebookUser(d.db, fbUserId);
  await d.db.transaction().execute(async (tx) => {
    for (const row of rows) {
      await repo.deleteByOrg(tx, row.org_id);
      await queueUnsubscribe(tx, d.cipher, row, t, d.logger);
      await recordActivity(tx, {
        orgId: row.org_id,
        kind: 'deletion_request',
        actor: 'meta',
        pageId: row.facebook_page_id,
        detail: `Meta data deletion request ${code}: connection and token deleted`,
        at: t,
      });
    }
    await tx
      .insertInto('data_deletion_requests')
      .values({
        confirmation_code: code,
        requested_at: t,
        deleted_connections: rows.length,
        deleted_pages: JSON.stringify(rows.map((r) => r.facebook_page_name)),
      })
      .execute();
  });
  for (const row of rows) {
    const accounts = [row.facebook_page_id, row.instagram_business_account_id].filter(
      (id): id is string => id !== null,
    );
    await d.hooks?.purgeMedia?.(row.org_id, accounts);
  }
  d.alerts?.deletionRequested(rows, code);
  d.logger.info({ connections: rows.length }, 'meta data deletion callback');
  return code;
}

export async function findDeletionRequest(db: Kysely<DatabaseSchema>, code: string) {
  if (!/^[A-Za-z0-9]{1,32}$/.test(code)) return null;
  return (
    (await db
      .selectFrom('data_deletion_requests')
      .selectAll()
      .where('confirmation_code', '=', code)
      .executeTakeFirst()) ?? null
  );
}

// Which connection holds an Instagram account. Meta links an Instagram account to at most one Page at
// a time, so its newest answer about a Page's account is authoritative: when a connection takes an
// account (connect, refresh, health check), any other connection still holding it lets go, and that
// organization's activity log says why. Migration 0005's partial unique index holds the database to the
// same rule; without it two holders made every DM to the account ambiguous, and dropped.
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { type Actor, recordActivity } from '../activity/activity-log.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import { instagramUsername, pageInstagramId } from '../meta/pages.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { ConnectionRow } from './connection-repository.ts';
import * as repo from './connection-repository.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;
export type InstagramLink = { id: string; username: string | null } | null;

const handle = (id: string, username: string | null) => `@${username ?? id}`;

/**
 * The account linked to the Page now, by Meta's answer. The username is looked up only for an account
 * we do not know yet (`known` is what we hold).
 */
export async function readInstagramLink(
  graph: GraphClient,
  pageId: string,
  token: string,
  known: InstagramLink,
): Promise<InstagramLink> {
  const id = await pageInstagramId(graph, pageId, token);
  if (id === null) return null;
  if (known?.id === id) return known;
  return { id, username: await instagramUsername(graph, id, token, pageId) };
}

/** Every other connection holding `igId` lets go of it, each with an activity-log entry. */
export async function releaseInstagramElsewhere(
  db: Db,
  c: { igId: string; keepOrgId: string; t: number; logger: Logger },
): Promise<number> {
  const stale = await repo.findByInstagram(db, c.igId);
  let released = 0;
  for (const row of stale) {
    if (row.org_id === c.keepOrgId) continue;
    await repo.updateInstagram(db, row.org_id, row.facebook_page_id, {
      instagram_business_account_id: null,
      instagram_username: null,
      updated_at: c.t,
    });
    await recordActivity(db, {
      orgId: row.org_id,
      kind: 'instagram_refreshed',
      actor: 'meta',
      pageId: row.facebook_page_id,
      detail: `${handle(c.igId, row.instagram_username)} is now linked to another Facebook Page, so its messages no longer arrive here (Meta links an Instagram account to one Page at a time). To get it back, link it to ${row.facebook_page_name} again in Meta Business Suite, then refresh the Instagram link.`,
      at: c.t,
    });
    c.logger.info(
      { orgId: row.org_id, pageId: row.facebook_page_id, igId: c.igId },
      'instagram account moved to another connection',
    );
    released++;
  }
  return released;
}

/**
 * Stores the Page's current Instagram link on its connection, taking the account from any other
 * connection. Records an activity entry when it changed (or always, for an admin's explicit refresh).
 * Returns whether the link changed.
 */
export async function applyInstagramLink(
  db: Kysely<DatabaseSchema>,
  row: ConnectionRow,
  ig: InstagramLink,
  o: { t: number; actor: Actor; logger: Logger; recordUnchanged?: boolean },
): Promise<boolean> {
  const changed =
    (ig?.id ?? null) !== row.instagram_business_account_id ||
    (ig !== null && ig.username !== row.instagram_username);
  if (!changed && !o.recordUnchanged) return false;
  const lost = ig === null && row.instagram_business_account_id !== null;
  await db.transaction().execute(async (tx) => {
    if (ig)
      await releaseInstagramElsewhere(tx, { igId: ig.id, keepOrgId: row.org_id, t: o.t, logger: o.logger });
    await repo.updateInstagram(tx, row.org_id, row.facebook_page_id, {
      instagram_business_account_id: ig?.id ?? null,
      instagram_username: ig?.username ?? null,
      updated_at: o.t,
    });
    await recordActivity(tx, {
      orgId: row.org_id,
      kind: 'instagram_refreshed',
      actor: o.actor,
      pageId: row.facebook_page_id,
      detail: ig
        ? handle(ig.id, ig.username)
        : lost
          ? `${handle(row.instagram_business_account_id!, row.instagram_username)} is no longer linked to this Page (it was unlinked, or linked to another Facebook Page); its messages no longer arrive here.`
          : 'No Instagram account linked',
      at: o.t,
    });
  });
  return changed;
}

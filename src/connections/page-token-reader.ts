// Opening a connection's sealed Page token. A token sealed under a key since retired from
// ENCRYPTION_KEYS (or damaged) can never be used again, and must not turn removal or a background check
// into a 500: removal goes ahead without it (the unsubscribe is skipped), and whatever needed the token
// to talk to Meta marks the connection reauth_required with this reason, since only a new login fixes it.
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { recordActivity } from '../activity/activity-log.ts';
import { DecryptionError, type TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import type { ConnectionAlerts } from './connection-alerts.ts';
import type { ConnectionRow } from './connection-repository.ts';
import * as repo from './connection-repository.ts';
import { pageTokenAad } from './page-token.ts';

export const UNREADABLE_TOKEN_REASON =
  'The stored Page access token cannot be decrypted (its encryption key was retired from ENCRYPTION_KEYS); reconnect with Facebook.';

/** The Page token, or null when no configured key opens it. Other errors still throw. */
export function openPageToken(cipher: TokenCipher, row: ConnectionRow): string | null {
  try {
    return cipher.decrypt(row.page_access_token, pageTokenAad(row.org_id, row.facebook_page_id));
  } catch (err) {
    if (err instanceof DecryptionError) return null;
    throw err;
  }
}

/** The Page token; when it cannot be opened, the connection is marked reauth_required (logged) and null. */
export async function openPageTokenOrFlag(
  d: {
    db: Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;
    cipher: TokenCipher;
    now: () => number;
    logger: Logger;
    alerts?: ConnectionAlerts;
  },
  row: ConnectionRow,
): Promise<string | null> {
  const token = openPageToken(d.cipher, row);
  if (token !== null) return token;
  d.logger.warn(
    { orgId: row.org_id, pageId: row.facebook_page_id, keyId: d.cipher.keyIdOf(row.page_access_token) },
    'page token cannot be decrypted: connection needs a new login',
  );
  if (row.status === 'reauth_required' && row.status_reason === UNREADABLE_TOKEN_REASON) return null;
  const t = d.now();
  await repo.updateHealth(d.db, row.org_id, row.facebook_page_id, {
    status: 'reauth_required',
    status_reason: UNREADABLE_TOKEN_REASON,
    updated_at: t,
  });
  await recordActivity(d.db, {
    orgId: row.org_id,
    kind: 'token_rejected',
    actor: 'parley',
    pageId: row.facebook_page_id,
    detail: UNREADABLE_TOKEN_REASON,
    at: t,
  });
  d.alerts?.connectionChanged(row.org_id, row.facebook_page_id);
  return null;
}

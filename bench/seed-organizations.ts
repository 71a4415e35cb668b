// Organizations for a load run: each signed up over HTTP (so it has a real owner and session cookie),
// and — when asked — connected to a Page by writing its connection row directly, with a sealed stand-in
// token, as test/support/inbox-fixtures.ts does. The webhook receiver routes by that Page id.
import { randomBytes } from 'node:crypto';
import { pageTokenAad } from '../src/connections/connection-service.ts';
import { parseKeyring } from '../src/secrets/keyring.ts';
import { TokenCipher } from '../src/secrets/token-cipher.ts';
import { Browser, signup } from '../test/support/http-client.ts';
import { connectionRow, pageIdFor } from '../test/support/inbox-fixtures.ts';
import type { BenchDatabase } from './bench-database.ts';

export interface SeededOrganization {
  orgId: string;
  userId: string;
  browser: Browser;
  pageId: string;
  /** The Instagram account linked to the Page (when asked for). */
  igId?: string;
}

export const benchSecrets = () => ({
  encryptionKeys: `k1:${randomBytes(32).toString('base64')}`,
  sessionSecret: randomBytes(32).toString('base64url'),
});

export async function seedOrganizations(
  appUrl: string,
  db: BenchDatabase,
  o: { count: number; encryptionKeys: string; connect: boolean; instagram?: boolean },
): Promise<SeededOrganization[]> {
  const cipher = new TokenCipher(parseKeyring(o.encryptionKeys, 'ENCRYPTION_KEYS'));
  const out: SeededOrganization[] = [];
  for (let i = 0; i < o.count; i++) {
    const browser = new Browser(appUrl);
    const owner = await signup(browser, `Bench Org ${i + 1}`);
    const pageId = pageIdFor();
    const igId = o.instagram ? `17${pageIdFor()}` : undefined;
    if (o.connect) {
      const t = Date.now();
      await db.test.database.db
        .insertInto('organization_meta_settings')
        .values(
          connectionRow({
            orgId: owner.orgId,
            pageId,
            pageName: `Bench Page ${i + 1}`,
            sealedToken: cipher.encrypt('EAAbench-page-token', pageTokenAad(owner.orgId, pageId)),
            userId: owner.userId,
            at: t,
            instagram: igId ? { id: igId, username: `bench.ig.${i + 1}` } : null,
          }),
        )
        .execute();
    }
    out.push({ orgId: owner.orgId, userId: owner.userId, browser, pageId, igId });
  }
  return out;
}

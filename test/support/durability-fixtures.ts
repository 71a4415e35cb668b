// Shared by the durability and graceful-shutdown tests: signed deliveries of unique events, a receiver
// process with one connected Page, and readers that compare the sender's ledger with the database.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { pageTokenAad } from '../../src/connections/page-token.ts';
import { parseKeyring } from '../../src/secrets/keyring.ts';
import { TokenCipher } from '../../src/secrets/token-cipher.ts';
import type { Database } from '../../src/storage/database.ts';
import { type AppProcess, deploymentSecrets, freePort, startAppProcess } from './app-process.ts';
import { Browser, signup } from './http-client.ts';
import { connectionRow, pageIdFor } from './inbox-fixtures.ts';
import type { Delivery } from './meta-sender.ts';
import { metaEscapedJson } from './webhook-client.ts';
import { inbound, mid, pageBody, psid } from './webhook-payloads.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deterministic sizes 1..30 (a Meta batch holds up to 1000; most carry one or a few). */
export function buildDeliveries(pageId: string, events: number, firstId = 0): Delivery[] {
  const customers = Array.from({ length: 20 }, () => psid());
  const out: Delivery[] = [];
  const t0 = Date.now();
  let n = 0;
  let seed = 7;
  while (n < events) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const size = Math.min(1 + (seed % 30), events - n);
    const items = Array.from({ length: size }, (_, i) =>
      inbound(pageId, customers[(n + i) % customers.length]!, {
        mid: mid(),
        text: `event ${n + i}`,
        timestamp: t0 + n + i,
      }),
    );
    out.push({
      id: firstId + out.length,
      body: metaEscapedJson(pageBody(pageId, items)),
      mids: items.map((it) => (it.message as { mid: string }).mid),
    });
    n += size;
  }
  return out;
}

export interface Deployment {
  env: Record<string, string>;
  port: number;
  secret: string;
  pageId: string;
  db: Database;
}

/**
 * Starts a receiver process on `databaseUrl` (already created, possibly empty: the app migrates it) and
 * seeds one organization with a connected Page, so deliveries for that Page become messages.
 */
export async function deployReceiver(
  databaseUrl: string,
  db: Database,
  name: string,
): Promise<{ d: Deployment; app: AppProcess }> {
  const secrets = deploymentSecrets();
  const secret = `durability-${name}-secret`;
  const port = await freePort();
  const env = {
    ...secrets,
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    META_APP_ID: '1',
    META_APP_SECRET: secret,
    META_WEBHOOK_VERIFY_TOKEN: 'durability-verify',
    // Participant names are looked up best-effort; a Graph host that refuses keeps that cheap.
    META_GRAPH_URL: 'http://127.0.0.1:9',
    META_DIALOG_URL: 'http://127.0.0.1:9',
  };
  const app = await startAppProcess({ env, port });
  const owner = await signup(new Browser(app.url), 'Durability Org');
  const pageId = pageIdFor();
  const cipher = new TokenCipher(parseKeyring(secrets.ENCRYPTION_KEYS, 'ENCRYPTION_KEYS'));
  const t = Date.now();
  await db.db
    .insertInto('organization_meta_settings')
    .values(
      connectionRow({
        orgId: owner.orgId,
        pageId,
        pageName: 'Durability Page',
        sealedToken: cipher.encrypt('EAAdurability', pageTokenAad(owner.orgId, pageId)),
        userId: owner.userId,
        at: t,
      }),
    )
    .execute();
  return { d: { env, port, secret, pageId, db }, app };
}

/** Every mid in the stored raw bodies, with how many stored copies carry it. */
export async function storedRawMids(db: Database): Promise<{ rows: number; copies: Map<string, number> }> {
  const rows = await db.db.selectFrom('webhook_deliveries').select(['body', 'body_encoding']).execute();
  const copies = new Map<string, number>();
  for (const r of rows) {
    const body = JSON.parse(r.body) as { entry: Array<{ messaging: Array<{ message: { mid: string } }> }> };
    for (const e of body.entry)
      for (const m of e.messaging) copies.set(m.message.mid, (copies.get(m.message.mid) ?? 0) + 1);
  }
  return { rows: rows.length, copies };
}

export async function storedMessages(db: Database): Promise<Map<string, number>> {
  const rows = await db.db
    .selectFrom('messages')
    .select(['mid', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('mid')
    .execute();
  return new Map(rows.map((r) => [r.mid!, Number(r.n)]));
}

export async function waitProcessed(db: Database, deadline: number): Promise<number> {
  for (;;) {
    const r = await db.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('processed_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(r.n) === 0 || Date.now() > deadline) return Number(r.n);
    await sleep(250);
  }
}

/** Leases held by no living process: rows claimed but never finished. */
export async function abandonedLeases(db: Database): Promise<number> {
  const r = await db.db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('processed_at', 'is', null)
    .where('claimed_until', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Prints the figures as test diagnostics and writes them to test-artifacts/<file>.json for quoting. */
export function report(t: TestContext, file: string, figures: Record<string, number | string>) {
  for (const [k, v] of Object.entries(figures)) t.diagnostic(`${k} = ${v}`);
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync(
    `test-artifacts/${file}.json`,
    `${JSON.stringify({ ...figures, at: new Date().toISOString() }, null, 2)}\n`,
  );
}

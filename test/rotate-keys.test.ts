// Encryption key rotation (R16, F13): every sealed Page token — connection rows and unsubscribe jobs —
// ends up under the newest key, in batches, while instances keep reading and writing (no row is ever
// unreadable, a token rewritten meanwhile is not overwritten), and a second run has nothing to do. Then
// `npm run rotate-keys` end to end: a new key put first is applied to the whole database; a token that
// no configured key opens is reported, left untouched, and fails the command. On SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pageTokenAad, unsubscribeAad } from '../src/connections/page-token.ts';
import { rotateSealedTokens } from '../src/connections/token-rotation.ts';
import { UNSUBSCRIBE_JOB } from '../src/connections/unsubscribe-job.ts';
import { parseKeyring } from '../src/secrets/keyring.ts';
import { TokenCipher } from '../src/secrets/token-cipher.ts';
import { createTestDatabase, DATABASE_KINDS, POSTGRES_URL, type TestDatabase } from './support/databases.ts';
import { connectionRow } from './support/inbox-fixtures.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const cipherOf = (spec: string) => new TokenCipher(parseKeyring(spec, 'ENCRYPTION_KEYS'));

const CONNECTIONS = 45;
const JOBS = 15;

for (const kind of DATABASE_KINDS) {
  describe(`key rotation on ${kind}`, () => {
    let testDb: TestDatabase;
    const k1 = key('k1');
    const k2 = key('k2');
    const k3 = key('k3');
    /** The plaintext each row must still decrypt to: org id → token, job id → token. */
    const expected = new Map<string, string>();
    const db = () => testDb.database.db;

    before(async () => {
      testDb = await createTestDatabase(kind);
      const old = cipherOf(k1);
      const t = Date.now();
      for (let i = 0; i < CONNECTIONS; i++) {
        const orgId = randomUUID();
        const pageId = String(300_000_000_000_000 + i);
        const token = `EAApage${i}-${randomBytes(8).toString('hex')}`;
        await db()
          .insertInto('organizations')
          .values({ id: orgId, name: `Org ${i}`, created_at: t })
          .execute();
        await db()
          .insertInto('organization_meta_settings')
          .values(
            connectionRow({
              orgId,
              pageId,
              pageName: `Page ${i}`,
              // A few rows were written after the new key went first: already current.
              sealedToken: (i % 9 === 0 ? cipherOf(`${k2},${k1}`) : old).encrypt(
                token,
                pageTokenAad(orgId, pageId),
              ),
              userId: 'u',
              at: t,
            }),
          )
          .execute();
        expected.set(orgId, token);
      }
      const job = (kindName: string, payload: unknown) => ({
        id: randomUUID(),
        kind: kindName,
        dedupe_key: null,
        payload: JSON.stringify(payload),
        run_at: t + 3600_000,
        attempts: 0,
        locked_until: null,
        last_error: null,
        created_at: t,
      });
      for (let i = 0; i < JOBS; i++) {
        const pageId = String(400_000_000_000_000 + i);
        const token = `EAAgone${i}-${randomBytes(8).toString('hex')}`;
        const row = job(UNSUBSCRIBE_JOB, {
          page_id: pageId,
          sealed_token: old.encrypt(token, unsubscribeAad(pageId)),
        });
        await db().insertInto('jobs').values(row).execute();
        expected.set(row.id, token);
      }
      // Work without a sealed token is left exactly as it is.
      await db()
        .insertInto('jobs')
        .values(job('meta.subscribe', { org_id: 'o', page_id: 'p' }))
        .execute();
    });
    after(() => testDb.drop());

    const readAll = async (cipher: TokenCipher) => {
      const found = new Map<string, { keyId: string | null; plain: string }>();
      for (const r of await db().selectFrom('organization_meta_settings').selectAll().execute()) {
        found.set(r.org_id, {
          keyId: cipher.keyIdOf(r.page_access_token),
          plain: cipher.decrypt(r.page_access_token, pageTokenAad(r.org_id, r.facebook_page_id)),
        });
      }
      for (const r of await db()
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', UNSUBSCRIBE_JOB)
        .execute()) {
        const p = JSON.parse(r.payload) as { page_id: string; sealed_token: string };
        found.set(r.id, {
          keyId: cipher.keyIdOf(p.sealed_token),
          plain: cipher.decrypt(p.sealed_token, unsubscribeAad(p.page_id)),
        });
      }
      return found;
    };

    it('rotates in batches while instances read and rewrite tokens: nothing unreadable, nothing lost, idempotent', async () => {
      // Every instance already runs with k2 first and k1 still listed (step 1 of the procedure).
      const current = cipherOf(`${k2},${k1}`);
      let rotating = true;
      let reads = 0;
      let readFailures = 0;
      const reader = (async () => {
        while (rotating) {
          try {
            await readAll(current);
            reads++;
          } catch {
            readFailures++;
          }
        }
      })();
      // Reconnects during the rotation: some tokens are replaced (sealed under k2 by the app).
      const orgIds = [...expected.keys()].slice(0, CONNECTIONS);
      let rewrites = 0;
      const writer = (async () => {
        for (let i = 0; rotating && i < 200; i++) {
          const orgId = orgIds[(i * 7) % orgIds.length]!;
          const row = await db()
            .selectFrom('organization_meta_settings')
            .selectAll()
            .where('org_id', '=', orgId)
            .executeTakeFirstOrThrow();
          const token = `EAAreconnected${i}`;
          await db()
            .updateTable('organization_meta_settings')
            .set({ page_access_token: current.encrypt(token, pageTokenAad(orgId, row.facebook_page_id)) })
            .where('org_id', '=', orgId)
            .execute();
          expected.set(orgId, token);
          rewrites++;
          await new Promise((r) => setTimeout(r, 1));
        }
      })();
      const first = await rotateSealedTokens(db(), current, { batchSize: 7 });
      rotating = false;
      await Promise.all([reader, writer]);

      assert.equal(readFailures, 0, `every row stayed readable (${reads} full reads during the rotation)`);
      assert.ok(reads > 0 && rewrites > 0, 'readers and writers ran during the rotation');
      assert.equal(first.pageTokens.scanned, CONNECTIONS);
      assert.equal(first.unsubscribeJobs.scanned, JOBS);
      assert.equal(first.unsubscribeJobs.rewrapped, JOBS);
      assert.equal(first.pageTokens.failed + first.unsubscribeJobs.failed, 0);
      assert.ok(first.pageTokens.rewrapped > 0 && first.pageTokens.alreadyCurrent > 0);

      const found = await readAll(current);
      assert.equal(found.size, CONNECTIONS + JOBS);
      for (const [id, plain] of expected) {
        assert.equal(found.get(id)?.keyId, 'k2', `${id} under the newest key`);
        assert.equal(found.get(id)?.plain, plain, `${id} still holds its latest token`);
      }
      const untouched = await db()
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', 'meta.subscribe')
        .execute();
      assert.deepEqual(JSON.parse(untouched[0]!.payload), { org_id: 'o', page_id: 'p' });

      const second = await rotateSealedTokens(db(), current, { batchSize: 7 });
      assert.equal(second.pageTokens.rewrapped + second.unsubscribeJobs.rewrapped, 0, 'nothing left to do');
      assert.equal(second.pageTokens.alreadyCurrent, CONNECTIONS);
      assert.equal(second.unsubscribeJobs.alreadyCurrent, JOBS);
      // With k1 gone from the keyring everything still opens.
      const afterRemoval = await readAll(cipherOf(k2));
      assert.equal(afterRemoval.size, CONNECTIONS + JOBS);
    });

    const cli = async (keys: string, ...args: string[]) => {
      const databaseUrl =
        kind === 'sqlite'
          ? `sqlite:${testDb.file}`
          : `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${testDb.searchPath}`)}`;
      try {
        const r = await run('npm', ['run', '-s', 'rotate-keys', '--', ...args], {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            DATABASE_URL: databaseUrl,
            ENCRYPTION_KEYS: keys,
            SESSION_SECRET: randomBytes(32).toString('base64url'),
          },
        });
        return { code: 0, out: r.stdout + r.stderr };
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    };

    it('npm run rotate-keys: a new key put first is applied everywhere; a dry run then finds nothing', async () => {
      const keys = `${k3},${k2},${k1}`;
      const pending = await cli(keys, '--dry-run');
      assert.equal(pending.code, 1, `a dry run with work left exits 1:\n${pending.out}`);
      assert.match(
        pending.out,
        new RegExp(`page tokens: ${CONNECTIONS} scanned, ${CONNECTIONS} to re-encrypt`),
      );
      const done = await cli(keys, '--batch-size=4');
      assert.equal(done.code, 0, done.out);
      assert.match(done.out, new RegExp(`page tokens: ${CONNECTIONS} scanned, ${CONNECTIONS} re-encrypted`));
      assert.match(done.out, new RegExp(`unsubscribe jobs: ${JOBS} scanned, ${JOBS} re-encrypted`));
      assert.ok(!/EAA/.test(done.out), 'no token in the output');
      const found = await readAll(cipherOf(k3));
      assert.ok([...found.values()].every((f) => f.keyId === 'k3'));
      const check = await cli(keys, '--dry-run');
      assert.equal(check.code, 0, check.out);
    });

    it('a token no configured key opens is reported and left untouched; the command exits 1', async () => {
      const orgId = randomUUID();
      const t = Date.now();
      await db().insertInto('organizations').values({ id: orgId, name: 'Lost key', created_at: t }).execute();
      const sealed = cipherOf(key('k0')).encrypt('EAAorphan', pageTokenAad(orgId, '500000000000001'));
      const row = {
        org_id: orgId,
        facebook_page_id: '500000000000001',
        facebook_page_name: 'Orphan',
        page_access_token: sealed,
        instagram_business_account_id: null,
        instagram_username: null,
        status: 'active' as const,
        status_reason: null,
        webhook_page: 'subscribed' as const,
        webhook_app_page: 'subscribed' as const,
        webhook_app_instagram: 'subscribed' as const,
        connected_by_user_id: 'u',
        connected_by_fb_user_id: null,
        connected_at: t,
        updated_at: t,
      };
      await db().insertInto('organization_meta_settings').values(row).execute();
      const r = await cli(`${k3},${k2}`);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /1 undecryptable/);
      const after = await db()
        .selectFrom('organization_meta_settings')
        .select('page_access_token')
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow();
      assert.equal(after.page_access_token, sealed);
    });
  });
}

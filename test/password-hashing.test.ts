// scrypt as a denial of service (issue 11, item 3): the default cost is OWASP's minimum (N=2^17, r=8,
// p=1); a hash stored at a weaker cost is replaced on the next successful login; at most two hashes run
// at once with a short queue, and a flood of logins gets 503 server_busy with Retry-After, never a 500;
// GET /api/integrations/meta/oauth-url is limited per user and live OAuth transactions are bounded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_HASH_COST, PasswordHasher } from '../src/accounts/password-hash.ts';
import { MemoryCache } from '../src/cache/memory-cache.ts';
import { OAuthTransactions } from '../src/connections/oauth-transactions.ts';
import { type Harness, startHarness, TEST_HASH_COST } from './support/app-harness.ts';
import { DATABASE_KINDS } from './support/databases.ts';
import { Browser, signup } from './support/http-client.ts';

const PASSWORD = 'correct horse battery';

describe('password hashing cost', () => {
  it('defaults to at least N=2^17, r=8, p=1 (OWASP minimum) and stores those parameters', async () => {
    assert.ok(DEFAULT_HASH_COST.N >= 2 ** 17, `N=${DEFAULT_HASH_COST.N}`);
    assert.equal(DEFAULT_HASH_COST.r, 8);
    assert.equal(DEFAULT_HASH_COST.p, 1);
    const hasher = new PasswordHasher();
    const started = performance.now();
    const stored = await hasher.hash(PASSWORD);
    const ms = performance.now() - started;
    assert.match(stored, /^scrypt\$131072\$8\$1\$/);
    assert.deepEqual(await hasher.verify(PASSWORD, stored), { ok: true, stale: false });
    assert.deepEqual(await hasher.verify('wrong password', stored), { ok: false, stale: false });
    console.log(`# one scrypt hash at N=2^17: ${ms.toFixed(0)} ms`);
  });
});

for (const db of DATABASE_KINDS) {
  describe(`password hashing over HTTP on ${db}`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ db });
    });
    after(() => h.close());

    const storedHash = async (email: string) =>
      (
        await h.deps.database.db
          .selectFrom('users')
          .select('password_hash')
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
      ).password_hash;

    it('a login against a hash stored at an older, weaker cost upgrades it to the current cost', async () => {
      const { email } = await signup(new Browser(h.url));
      const old = await new PasswordHasher({ cost: { N: 2 ** 12, r: 8, p: 1 } }).hash(PASSWORD);
      await h.deps.database.db
        .updateTable('users')
        .set({ password_hash: old })
        .where('email', '=', email)
        .execute();
      const wrong = await new Browser(h.url).post('/api/auth/login', { email, password: 'wrong password' });
      assert.equal(wrong.status, 401);
      assert.equal(await storedHash(email), old, 'a wrong password upgrades nothing');
      const res = await new Browser(h.url).post('/api/auth/login', { email, password: PASSWORD });
      assert.equal(res.status, 200);
      const upgraded = await storedHash(email);
      assert.match(upgraded, new RegExp(`^scrypt\\$${TEST_HASH_COST.N}\\$8\\$1\\$`));
      assert.notEqual(upgraded, old);
      assert.equal(
        (await new Browser(h.url).post('/api/auth/login', { email, password: PASSWORD })).status,
        200,
      );
    });

    it('a flood of concurrent logins: some get 503 server_busy with Retry-After, the rest their answer, none 500', async () => {
      const { email } = await signup(new Browser(h.url));
      const replies = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          new Browser(h.url).post<{ error?: { code: string } }>('/api/auth/login', {
            email,
            password: i % 2 ? PASSWORD : 'wrong password',
          }),
        ),
      );
      const statuses = replies.map((r) => r.status);
      const busy = replies.filter((r) => r.status === 503);
      assert.ok(busy.length > 0, `some refused: ${statuses.join(',')}`);
      for (const r of busy) {
        assert.equal(r.body.error?.code, 'server_busy');
        assert.ok(Number(r.headers.get('retry-after')) >= 1, 'Retry-After');
      }
      assert.ok(
        statuses.every((s) => s === 200 || s === 401 || s === 503),
        `only answers or refusals: ${statuses.join(',')}`,
      );
      assert.ok(statuses.includes(200) && statuses.includes(401), 'the admitted ones were answered');
      // Once the flood has passed, logins work again.
      assert.equal(
        (await new Browser(h.url).post('/api/auth/login', { email, password: PASSWORD })).status,
        200,
      );
    });

    it('GET oauth-url: the 11th within 10 minutes by one user is 429 with Retry-After; other users are not affected', async () => {
      const owner = new Browser(h.url);
      await signup(owner);
      for (let i = 1; i <= 10; i++) {
        assert.equal((await owner.get('/api/integrations/meta/oauth-url')).status, 200, `start ${i}`);
      }
      const refused = await owner.get<{ error: { code: string } }>('/api/integrations/meta/oauth-url');
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, 'rate_limited');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      const other = new Browser(h.url);
      await signup(other);
      assert.equal((await other.get('/api/integrations/meta/oauth-url')).status, 200);
      h.clock.advance(10 * 60_000 + 1_000);
      assert.equal((await owner.get('/api/integrations/meta/oauth-url')).status, 200, 'window passed');
    });
  });
}

describe('live OAuth transactions per user are bounded (R13 still holds: several tabs work)', () => {
  it('the 6th transaction of one user ends the 1st; the 2nd–6th stay valid', async () => {
    const cache = new MemoryCache();
    const transactions = new OAuthTransactions(cache, Date.now);
    try {
      const states: string[] = [];
      for (let i = 0; i < 6; i++) states.push(await transactions.start('org', 'user-1', 'browser'));
      const other = await transactions.start('org', 'user-2', 'browser');
      assert.equal((await transactions.consume(states[0], 'browser')).kind, 'invalid', 'oldest ended');
      for (const state of states.slice(1)) {
        assert.equal((await transactions.consume(state, 'browser')).kind, 'fresh');
      }
      assert.equal((await transactions.consume(other, 'browser')).kind, 'fresh', "another user's untouched");
    } finally {
      await cache.close();
    }
  });
});

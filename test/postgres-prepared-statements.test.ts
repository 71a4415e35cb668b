// The PostgreSQL client names the statements it sees again (src/storage/postgres-prepared-statements.ts),
// so PostgreSQL parses and plans them once per connection instead of on every call (issue 15, target 5).
// Each case reads the backend's own pg_prepared_statements on a one-connection pool.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { listConversationPage } from '../src/inbox/conversation-page.ts';
import { createDatabase } from '../src/storage/database.ts';
import { type PreparedLimits, preparingClient } from '../src/storage/postgres-prepared-statements.ts';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from './support/databases.ts';

const schema = `t_${randomBytes(6).toString('hex')}`;

/** A one-connection pool in the test's schema, with these limits. */
function poolWith(limits: PreparedLimits) {
  return new pg.Pool({
    connectionString: POSTGRES_URL,
    max: 1,
    Client: preparingClient(pg, limits),
    options: `-c search_path=${schema}`,
  });
}

/** The statements the pool's one backend has prepared, by their SQL text. */
async function prepared(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ statement: string }>('select statement from pg_prepared_statements');
  return rows.map((r) => r.statement).sort();
}

const LIMITS: PreparedLimits = { statements: 3, charsEach: 200, watched: 2 };

describe('PostgreSQL prepared statements', () => {
  const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
  before(async () => {
    await admin.query(`create schema ${schema}`);
    await admin.query(`create table ${schema}.t (a int)`);
    await admin.query(`insert into ${schema}.t values (1), (2)`);
  });
  after(async () => {
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  });

  it('prepares a statement at its second use, not its first', async () => {
    const pool = poolWith(LIMITS);
    try {
      const text = 'select a from t where a = $1';
      assert.deepEqual((await pool.query(text, [1])).rows, [{ a: 1 }]);
      assert.deepEqual(await prepared(pool), [], 'one use: sent unnamed');
      assert.deepEqual((await pool.query(text, [2])).rows, [{ a: 2 }]);
      assert.deepEqual(await prepared(pool), [text]);
      assert.deepEqual((await pool.query(text, [1])).rows, [{ a: 1 }], 'the prepared statement answers');
      assert.deepEqual(await prepared(pool), [text], 'prepared once');
    } finally {
      await pool.end();
    }
  });

  it('holds at most `statements` per connection, never one longer than `charsEach`', async () => {
    const pool = poolWith(LIMITS);
    try {
      const texts = [1, 2, 3, 4, 5].map((n) => `select a + ${n} as b from t where a = $1`);
      for (const text of texts) for (let i = 0; i < 2; i++) await pool.query(text, [1]);
      assert.deepEqual(await prepared(pool), texts.slice(0, 3).sort());
    } finally {
      await pool.end();
    }
    // On a connection below the cap, so only the length keeps it unnamed.
    const fresh = poolWith(LIMITS);
    try {
      const long = `select a from t where a = $1 /* ${'x'.repeat(200)} */`;
      for (let i = 0; i < 3; i++) assert.deepEqual((await fresh.query(long, [2])).rows, [{ a: 2 }]);
      assert.deepEqual(await prepared(fresh), []);
    } finally {
      await fresh.end();
    }
  });

  it('forgets the oldest of the texts it has seen once beyond `watched`', async () => {
    const pool = poolWith(LIMITS);
    try {
      const [a, b, c] = ['a', 'b', 'c'].map((x) => `select a as ${x} from t where a = $1`) as [
        string,
        string,
        string,
      ];
      await pool.query(a, [1]);
      await pool.query(b, [1]);
      await pool.query(c, [1]); // `a` leaves the two watched
      await pool.query(a, [1]); // seen "once" again
      assert.deepEqual(await prepared(pool), []);
      await pool.query(c, [1]);
      assert.deepEqual(await prepared(pool), [c]);
    } finally {
      await pool.end();
    }
  });

  it('runs a query again when a schema change made its prepared statement stale, outside a transaction', async () => {
    const pool = poolWith(LIMITS);
    try {
      const text = 'select * from t where a = $1';
      await pool.query(text, [1]);
      await pool.query(text, [1]);
      await admin.query(`alter table ${schema}.t add column stale_${randomBytes(3).toString('hex')} int`);
      // Without the retry PostgreSQL answers "cached plan must not change result type" (0A000).
      const { rows, fields } = await pool.query(text, [1]);
      assert.equal(rows.length, 1);
      assert.equal(fields.length, 2, 'the new column is read');
      assert.deepEqual(await prepared(pool), [], "the old generation's statements were deallocated");
      // Inside a transaction the failure has aborted it, so it reaches the caller; the next call works.
      // The retry started a new generation of names: two uses prepare the statement again.
      await pool.query(text, [1]);
      await pool.query(text, [1]);
      await admin.query(`alter table ${schema}.t add column stale_${randomBytes(3).toString('hex')} int`);
      const client = await pool.connect();
      try {
        await client.query('begin');
        await assert.rejects(client.query(text, [1]), { code: '0A000' });
        await client.query('rollback');
        assert.equal((await client.query(text, [1])).fields.length, 3);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });
});

describe('the conversation list on prepared statements', () => {
  let test: TestDatabase;
  before(async () => {
    test = await createTestDatabase('postgres');
  });
  after(() => test.drop());

  it('is planned once for all organizations: PostgreSQL keeps a generic plan (the page size is in the SQL)', async () => {
    // Planner statistics of a real list: 20 organizations of 1,000 conversations. With LIMIT a parameter,
    // the generic plan is costed for a tenth of an organization's rows and never beats the plans made
    // per call, so PostgreSQL planned every request again (0 generic plans; 0.6 ms a request at 1M
    // messages, bench/results/profile.md).
    await sql`insert into organizations (id, name, created_at)
      select 'org-' || o, 'Org ' || o, 0 from generate_series(1, 20) o`.execute(test.database.db);
    await sql`insert into conversations (id, org_id, channel, account_id, participant_id, last_message_at,
        created_at, updated_at, status)
      select 'c-' || o || '-' || n, 'org-' || o, 'messenger', 'page', 'p-' || n, n, n, n,
        case when n % 4 = 0 then 'resolved' else 'open' end
      from generate_series(1, 20) o, generate_series(1, 1000) n`.execute(test.database.db);
    await sql`analyze conversations`.execute(test.database.db);
    const database = createDatabase(
      { kind: 'postgres', url: POSTGRES_URL },
      { searchPath: test.searchPath, poolSize: 1 },
    );
    try {
      for (let i = 1; i <= 8; i++) {
        const page = await listConversationPage(database.db, `org-${i}`, {
          status: 'open',
          sort: 'recent',
          after: null,
          limit: 26,
        });
        assert.equal(page.rows.length, 26);
      }
      const { rows } = await sql<{ generic_plans: number; custom_plans: number }>`
        select generic_plans, custom_plans from pg_prepared_statements where statement like '%"conversations"%'
      `.execute(database.db);
      assert.equal(rows.length, 1, 'the page statement is prepared');
      // Five custom plans, then the generic one for the later calls.
      assert.ok(Number(rows[0]!.generic_plans) >= 1, JSON.stringify(rows[0]));
    } finally {
      await database.close();
    }
  });

  it('prepares nothing with DATABASE_PREPARED_STATEMENTS=off (a pooler in transaction mode)', async () => {
    const database = createDatabase(
      { kind: 'postgres', url: POSTGRES_URL, preparedStatements: false },
      { searchPath: test.searchPath, poolSize: 1 },
    );
    try {
      for (let i = 0; i < 3; i++)
        await listConversationPage(database.db, 'org-1', {
          status: 'open',
          sort: 'recent',
          after: null,
          limit: 26,
        });
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from pg_prepared_statements`.execute(database.db);
      assert.equal(rows[0]!.n, 0);
    } finally {
      await database.close();
    }
  });
});

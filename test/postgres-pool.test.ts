// The app's PostgreSQL pool keeps the connections it has opened (src/storage/database.ts): a connection
// closed for idleness is reopened at the next burst as a new backend with cold caches, when requests have
// already piled up (issue 15, target 5). pg's pool would close them after 10 s idle by default.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { createDatabase } from '../src/storage/database.ts';
import { POSTGRES_URL } from './support/databases.ts';

describe('PostgreSQL pool', () => {
  const database = createDatabase({ kind: 'postgres', url: POSTGRES_URL }, { poolSize: 4 });
  after(() => database.close());

  /** The backend ids of four statements run at once (each holds its connection for 50 ms). */
  const burst = async () => {
    const pids = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(
          database.db,
        );
        return rows[0]!.pid;
      }),
    );
    return new Set(pids);
  };

  it('answers a burst after 11 s idle on the same backends it opened for the first', async () => {
    const first = await burst();
    assert.equal(first.size, 4, 'four statements at once take four connections');
    await sleep(11_000);
    assert.deepEqual(await burst(), first);
  });
});

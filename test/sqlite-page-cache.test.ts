// SQLite's page cache per connection (issue 15, resident memory): better-sqlite3 builds SQLite with a
// 16,000 KiB cache for every connection, and the webhook processor's connection asks for less
// (processor-worker.ts). Its pages are the process's malloc memory, so the bound is what keeps them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../src/storage/database.ts';

const cacheSize = async (database: Database) =>
  (await sql<{ cache_size: number }>`pragma cache_size`.execute(database.db)).rows[0]?.cache_size;

describe('an SQLite connection’s page cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cache-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const config = { kind: 'sqlite' as const, path: join(dir, 'parley.db') };

  it('is better-sqlite3’s 16,000 KiB unless asked otherwise', async () => {
    const database = createDatabase(config);
    try {
      assert.equal(await cacheSize(database), -16000);
    } finally {
      await database.close();
    }
  });

  it('is bounded at the KiB asked for, on the same file as a connection that keeps the default', async () => {
    const main = createDatabase(config);
    const processor = createDatabase(config, { sqliteCacheKiB: 8000 });
    try {
      assert.equal(await cacheSize(processor), -8000);
      assert.equal(await cacheSize(main), -16000);
    } finally {
      await processor.close();
      await main.close();
    }
  });
});

// Migrations beside catalog churn (the CI failure of 2026-12-04: "migration unknown failed" in a suite's
// set-up). Kysely's migrator first lists every table of every schema, calling catalog functions on each;
// a schema another session drops meanwhile made that listing fail — 9 in 90 creations with three
// processes creating and dropping test schemas. Nothing is migrated by then, so migrateToLatest tries
// again. Here three loops create and drop migrated schemas while a fourth drops schemas with tables
// as fast as it can; every migration must succeed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, POSTGRES_URL } from './support/databases.ts';

describe('migrations on PostgreSQL while other schemas are dropped', () => {
  it('every migration succeeds (8 schemas × 3 loops beside a schema-dropping loop)', async () => {
    const churn = new pg.Client({ connectionString: POSTGRES_URL });
    await churn.connect();
    let running = true;
    let dropped = 0;
    const churner = (async () => {
      while (running) {
        const s = `churn_${randomBytes(6).toString('hex')}`;
        await churn.query(`create schema ${s}; create table ${s}.a (id serial primary key, t text)`);
        await churn.query(`drop schema ${s} cascade`);
        dropped++;
      }
    })();
    const failures: string[] = [];
    const loop = async () => {
      for (let i = 0; i < 8; i++) {
        try {
          const d = await createTestDatabase('postgres');
          await d.drop();
        } catch (err) {
          failures.push(String((err as Error).message));
        }
      }
    };
    try {
      await Promise.all([loop(), loop(), loop()]);
    } finally {
      running = false;
      await churner;
      await churn.end();
    }
    assert.ok(dropped > 0, 'schemas were dropped while migrating');
    assert.deepEqual(failures, []);
  });
});

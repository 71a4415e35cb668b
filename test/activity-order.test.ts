// Entries written in the same millisecond are listed in the order they were written (newest first):
// the walkthrough saw "connected" below "chose the Page" about half the time (random ids broke the tie).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { listActivity, recordActivity } from '../src/activity/activity-log.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/databases.ts';

for (const kind of DATABASE_KINDS) {
  describe(`activity log order on ${kind}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(kind);
    });
    after(() => t.drop());

    it('same-millisecond entries: the later one first, every time', async () => {
      for (let i = 0; i < 20; i++) {
        const orgId = randomUUID();
        await t.database.db
          .insertInto('organizations')
          .values({ id: orgId, name: 'o', created_at: 0 })
          .execute();
        const at = 1_700_000_000_000 + i;
        await t.database.db.transaction().execute(async (tx) => {
          await recordActivity(tx, { orgId, kind: 'page_chosen', actor: 'parley', at });
          await recordActivity(tx, { orgId, kind: 'connected', actor: 'parley', at });
        });
        const kinds = (await listActivity(t.database.db, orgId)).map((e) => e.kind);
        assert.deepEqual(kinds, ['connected', 'page_chosen']);
      }
    });
  });
}

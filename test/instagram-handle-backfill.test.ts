// Migration 0015: Instagram people the history import named "@username" before 590f14e had no handle,
// and nothing would ever fill it (a named conversation is not looked up again). The migration copies
// the handle from the name, and touches nothing else: Messenger names that start with "@", Instagram
// conversations with a handle already, unnamed ones, and a bare "@". SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ensureConversations } from '../src/inbox/conversation-repository.ts';
import * as m0015 from '../src/storage/migrations/0015-instagram-handle-from-import.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/databases.ts';

for (const kind of DATABASE_KINDS) {
  describe(`migration 0015, Instagram handles from imported names: ${kind}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(kind);
    });
    after(() => t.drop());

    it('fills the handle of "@name" Instagram people without one, and nothing else', async () => {
      const db = t.database.db;
      const orgId = randomUUID();
      await db.insertInto('organizations').values({ id: orgId, name: 'Acme', created_at: 0 }).execute();
      const rows = {
        imported: { channel: 'instagram', name: '@ig.fan.', handle: null },
        looked_up: { channel: 'instagram', name: 'Ada Lovelace', handle: 'ada.l' },
        named_with_at: { channel: 'instagram', name: '@old.name', handle: 'new.name' },
        unnamed: { channel: 'instagram', name: null, handle: null },
        bare_at: { channel: 'instagram', name: '@', handle: null },
        messenger: { channel: 'messenger', name: '@not.a.handle', handle: null },
      } as const;
      // Made as the app makes them, then given the name and handle each case needs.
      const made = await ensureConversations(
        db,
        Object.entries(rows).map(([key, r]) => ({
          key: { orgId, channel: r.channel, accountId: '17841000000000001', participantId: `p-${key}` },
          at: 1,
        })),
        1,
      );
      const ids = new Map<string, string>();
      for (const [key, r] of Object.entries(rows)) {
        const id = made.find((c) => c.participant_id === `p-${key}`)!.id;
        ids.set(key, id);
        await db
          .updateTable('conversations')
          .set({ participant_name: r.name, participant_handle: r.handle })
          .where('id', '=', id)
          .execute();
      }

      await m0015.up(db);

      const after = new Map(
        (
          await db
            .selectFrom('conversations')
            .select(['id', 'participant_name', 'participant_handle'])
            .execute()
        ).map((r) => [r.id, r]),
      );
      const handleOf = (key: string) => after.get(ids.get(key)!)!.participant_handle;
      assert.equal(handleOf('imported'), 'ig.fan.');
      assert.equal(handleOf('looked_up'), 'ada.l');
      assert.equal(handleOf('named_with_at'), 'new.name');
      assert.equal(handleOf('unnamed'), null);
      assert.equal(handleOf('bare_at'), null);
      assert.equal(handleOf('messenger'), null);
      assert.equal(after.get(ids.get('imported')!)!.participant_name, '@ig.fan.', 'the name is kept');
    });
  });
}

// Migrations 0015 and 0016, the Instagram people the history import named "@username". 0015: before
// 590f14e they had no handle, and nothing would ever fill it (a named conversation is not looked up
// again); it copies the handle from the name, and touches nothing else: Messenger names that start with
// "@", Instagram conversations with a handle already, unnamed ones, and a bare "@". 0016: the made-up
// name kept their real one from ever being looked up; it clears a name that is exactly "@" + handle on
// Instagram, and nothing else. SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ensureConversations } from '../src/inbox/conversation-repository.ts';
import * as m0015 from '../src/storage/migrations/0015-instagram-handle-from-import.ts';
import * as m0016 from '../src/storage/migrations/0016-instagram-name-from-lookup.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/databases.ts';

for (const kind of DATABASE_KINDS) {
  describe(`migrations 0015 and 0016, Instagram people from imported names: ${kind}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(kind);
    });
    after(() => t.drop());

    type Person = { channel: 'instagram' | 'messenger'; name: string | null; handle: string | null };

    /** Conversations made as the app makes them, then given the name and handle each case needs. */
    async function people(rows: Record<string, Person>) {
      const db = t.database.db;
      const orgId = randomUUID();
      await db.insertInto('organizations').values({ id: orgId, name: 'Acme', created_at: 0 }).execute();
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
      /** Each case's name and handle as they are now. */
      return async () => {
        const now = await db
          .selectFrom('conversations')
          .select(['id', 'participant_name', 'participant_handle'])
          .where('org_id', '=', orgId)
          .execute();
        const byId = new Map(now.map((r) => [r.id, r]));
        return (key: string) => {
          const r = byId.get(ids.get(key)!)!;
          return { name: r.participant_name, handle: r.participant_handle };
        };
      };
    }

    it('0015 fills the handle of "@name" Instagram people without one, and nothing else', async () => {
      const db = t.database.db;
      const read = await people({
        imported: { channel: 'instagram', name: '@ig.fan.', handle: null },
        looked_up: { channel: 'instagram', name: 'Ada Lovelace', handle: 'ada.l' },
        named_with_at: { channel: 'instagram', name: '@old.name', handle: 'new.name' },
        unnamed: { channel: 'instagram', name: null, handle: null },
        bare_at: { channel: 'instagram', name: '@', handle: null },
        messenger: { channel: 'messenger', name: '@not.a.handle', handle: null },
      });

      await m0015.up(db);

      const of = await read();
      assert.equal(of('imported').handle, 'ig.fan.');
      assert.equal(of('looked_up').handle, 'ada.l');
      assert.equal(of('named_with_at').handle, 'new.name');
      assert.equal(of('unnamed').handle, null);
      assert.equal(of('bare_at').handle, null);
      assert.equal(of('messenger').handle, null);
      assert.equal(of('imported').name, '@ig.fan.', 'the name is kept');
    });

    it('0016 clears an Instagram name that is only "@" + its handle, and nothing else', async () => {
      const read = await people({
        imported: { channel: 'instagram', name: '@ig.fan', handle: 'ig.fan' },
        looked_up: { channel: 'instagram', name: 'Ada Lovelace', handle: 'ada.l' },
        other_handle: { channel: 'instagram', name: '@old.name', handle: 'new.name' },
        other_case: { channel: 'instagram', name: '@IG.Fan', handle: 'ig.fan' },
        no_handle: { channel: 'instagram', name: '@someone', handle: null },
        messenger: { channel: 'messenger', name: '@x', handle: 'x' },
      });

      await m0016.up(t.database.db);

      const of = await read();
      assert.deepEqual(of('imported'), { name: null, handle: 'ig.fan' });
      assert.deepEqual(of('looked_up'), { name: 'Ada Lovelace', handle: 'ada.l' });
      assert.deepEqual(of('other_handle'), { name: '@old.name', handle: 'new.name' });
      assert.deepEqual(of('other_case'), { name: '@IG.Fan', handle: 'ig.fan' });
      assert.deepEqual(of('no_handle'), { name: '@someone', handle: null });
      assert.deepEqual(of('messenger'), { name: '@x', handle: 'x' });
    });
  });
}

// One contract suite for SearchRepository, run against SQLite (FTS5) and PostgreSQL (tsvector + GIN):
// words of messages and of names/handles, case- and accent-insensitive, prefixes, every term required,
// one hit per conversation naming its newest matching message, status and channel filters, tenancy, and
// an index that follows the messages table in the same transaction (insert, edit, delete, rollback).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ConversationSearchService } from '../src/search/conversation-search-service.ts';
import { createSearchRepository } from '../src/search/create-search-repository.ts';
import type { SearchRepository } from '../src/search/search-repository.ts';
import { searchTerms } from '../src/search/search-terms.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/databases.ts';

for (const kind of DATABASE_KINDS) {
  describe(`SearchRepository contract: ${kind}`, () => {
    let t: TestDatabase;
    let repo: SearchRepository;
    const orgA = randomUUID();
    const orgB = randomUUID();
    let clock = 1_700_000_000_000;

    before(async () => {
      t = await createTestDatabase(kind);
      repo = createSearchRepository(t.database.dialect);
      for (const id of [orgA, orgB])
        await t.database.db.insertInto('organizations').values({ id, name: id, created_at: 0 }).execute();
    });
    after(() => t.drop());

    const conversation = async (
      orgId: string,
      o: { name?: string | null; handle?: string | null; status?: 'open' | 'resolved' } = {},
    ) => {
      const id = randomUUID();
      const at = ++clock;
      await t.database.db
        .insertInto('conversations')
        .values({
          id,
          org_id: orgId,
          channel: o.handle ? 'instagram' : 'messenger',
          account_id: 'acct',
          participant_id: randomUUID(),
          participant_name: o.name ?? null,
          participant_handle: o.handle ?? null,
          profile_checked_at: null,
          last_message_id: null,
          last_message_at: at,
          last_inbound_at: null,
          unread_count: 0,
          delivered_watermark: 0,
          read_watermark: 0,
          created_at: at,
          updated_at: at,
          status: o.status ?? 'open',
          waiting_since: null,
        })
        .execute();
      return id;
    };
    const message = async (orgId: string, conversationId: string, text: string | null) => {
      const id = randomUUID();
      const at = ++clock;
      await t.database.db
        .insertInto('messages')
        .values({
          id,
          org_id: orgId,
          conversation_id: conversationId,
          mid: `m_${id}`,
          direction: 'inbound',
          text,
          attachments: '[]',
          status: 'received',
          sent_at: at,
          meta_at: at,
          reaction: null,
          deleted_at: null,
          sent_by_user_id: null,
          error: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      return id;
    };
    type Status = 'open' | 'resolved' | 'all';
    const hits = (orgId: string, q: string, status: Status = 'all', prefix = false) =>
      repo.newestMessageHits(t.database.db, orgId, searchTerms(q), { status, prefix }, 50);
    const names = (orgId: string, q: string, status: Status = 'all', prefix = false) =>
      repo.conversationsByName(t.database.db, orgId, searchTerms(q), { status, prefix }, 50);

    it('finds words of messages whatever their case and accents; with prefix, the last word by its start', async () => {
      const c = await conversation(orgA);
      const m = await message(orgA, c, 'Le CAFÉ est prêt, à bientôt');
      for (const q of ['cafe', 'CAFÉ', 'café', 'pret', 'PRÊT bientot'])
        assert.deepEqual(
          (await hits(orgA, q)).map((h) => h.messageId),
          [m],
          q,
        );
      assert.deepEqual(await hits(orgA, 'caf'), [], 'a whole word only, without prefix');
      for (const q of ['caf', 'CAFÉ bient', 'pre'])
        assert.deepEqual(
          (await hits(orgA, q, 'all', true)).map((h) => h.messageId),
          [m],
          `${q} (prefix)`,
        );
      assert.deepEqual(await hits(orgA, 'caf pret', 'all', true), [], 'only the last term is a prefix');
      assert.deepEqual(await hits(orgA, 'afé', 'all', true), [], 'the middle of a word is not a word');
      assert.deepEqual(await hits(orgA, 'cafe tea'), [], 'every term is required');
    });

    it('one hit per conversation: its newest matching message, conversations newest first', async () => {
      const c1 = await conversation(orgA);
      const c2 = await conversation(orgA);
      await message(orgA, c1, 'parcel zebra one');
      const newer = await message(orgA, c1, 'parcel zebra two');
      await message(orgA, c1, 'nothing to see');
      const other = await message(orgA, c2, 'Zebra parcel three');
      const found = await hits(orgA, 'zebra parcel');
      assert.deepEqual(
        found.map((h) => [h.conversationId, h.messageId]),
        [
          [c2, other],
          [c1, newer],
        ],
      );
      assert.equal(found[1]!.text, 'parcel zebra two');
    });

    it('finds names and Instagram handles, accent- and case-insensitive; never another organization', async () => {
      const ana = await conversation(orgA, { name: 'Ana López' });
      const ig = await conversation(orgA, { name: 'Pedro', handle: 'pedro_ruiz.22' });
      await conversation(orgB, { name: 'Ana Lopez' });
      assert.deepEqual(await names(orgA, 'ana lopez'), [ana]);
      assert.deepEqual(await names(orgA, 'LÓP'), []);
      assert.deepEqual(await names(orgA, 'LÓP', 'all', true), [ana]);
      assert.deepEqual(await names(orgA, 'pedro_ruiz'), [ig]);
      assert.deepEqual(await names(orgA, 'ruiz'), [ig]);
      const bMsg = await conversation(orgB);
      await message(orgB, bMsg, 'walrus secret');
      assert.deepEqual(await hits(orgA, 'walrus'), []);
      assert.equal((await hits(orgB, 'walrus')).length, 1);
    });

    it('filters by status', async () => {
      const open = await conversation(orgA);
      const resolved = await conversation(orgA, { status: 'resolved', name: 'Quokka Fan' });
      await message(orgA, open, 'quokka open');
      await message(orgA, resolved, 'quokka resolved');
      assert.deepEqual(
        (await hits(orgA, 'quokka', 'open')).map((h) => h.conversationId),
        [open],
      );
      assert.deepEqual(
        (await hits(orgA, 'quokka', 'resolved')).map((h) => h.conversationId),
        [resolved],
      );
      assert.deepEqual(await names(orgA, 'quokka', 'open'), []);
      assert.deepEqual(await names(orgA, 'quokka', 'resolved'), [resolved]);
    });

    it('follows edits, unsends, deletes and renames; a rolled-back insert was never indexed', async () => {
      const c = await conversation(orgA, { name: 'Old Name' });
      const m = await message(orgA, c, 'ocelot here');
      await t.database.db.updateTable('messages').set({ text: 'lynx now' }).where('id', '=', m).execute();
      assert.deepEqual(await hits(orgA, 'ocelot'), []);
      assert.equal((await hits(orgA, 'lynx')).length, 1);
      await t.database.db.updateTable('messages').set({ text: null }).where('id', '=', m).execute();
      assert.deepEqual(await hits(orgA, 'lynx'), []);
      const gone = await message(orgA, c, 'marmot');
      await t.database.db.deleteFrom('messages').where('id', '=', gone).execute();
      assert.deepEqual(await hits(orgA, 'marmot'), []);
      await t.database.db
        .updateTable('conversations')
        .set({ participant_name: 'New Name' })
        .where('id', '=', c)
        .execute();
      assert.deepEqual(await names(orgA, 'old'), []);
      assert.deepEqual(await names(orgA, 'new name'), [c]);
      await assert.rejects(
        t.database.db.transaction().execute(async (tx) => {
          await tx
            .insertInto('messages')
            .values({
              id: randomUUID(),
              org_id: orgA,
              conversation_id: c,
              mid: 'm_rolled_back',
              direction: 'inbound',
              text: 'pangolin',
              attachments: '[]',
              status: 'received',
              sent_at: 1,
              meta_at: 1,
              reaction: null,
              deleted_at: null,
              sent_by_user_id: null,
              error: null,
              created_at: 1,
              updated_at: 1,
            })
            .execute();
          throw new Error('roll back');
        }),
      );
      assert.deepEqual(await hits(orgA, 'pangolin'), []);
    });

    it('walks past a common word to enough conversations', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        const c = await conversation(orgB);
        ids.push(c);
        for (let j = 0; j < 6; j++) await message(orgB, c, `common word ${i} ${j}`);
      }
      const found = await hits(orgB, 'common');
      assert.equal(found.length, 50);
      assert.equal(found[0]!.conversationId, ids.at(-1));
      assert.equal(found[0]!.text, 'common word 59 5');
    });

    it('the service: a message match carries a snippet, a name-only match carries null', async () => {
      const service = new ConversationSearchService(t.database.db, repo);
      const byName = await conversation(orgA, { name: 'Wombat Jones' });
      const byText = await conversation(orgA);
      const long = `${'filler '.repeat(30)}the wombat arrived on Tuesday ${'more '.repeat(30)}`;
      const m = await message(orgA, byText, long);
      const r = await service.search(orgA, 'WOMBAT', { status: 'all' });
      assert.deepEqual(
        r.rows.map((row) => row.id),
        [byText, byName],
      );
      const match = r.matches.get(byText)!;
      assert.equal(match?.message_id, m);
      assert.match(match!.snippet, /^….*the wombat arrived on Tuesday.*…$/);
      assert.ok(match!.snippet.length < 220);
      assert.equal(r.matches.get(byName), null);
      assert.deepEqual((await service.search(orgA, ' ,; ', { status: 'all' })).rows, []);
    });
  });
}

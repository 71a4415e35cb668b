// The conversation list's one-statement page (src/inbox/conversation-page.ts, issue 15 target 5) equals
// the page read the three-query way it replaced (listConversations, then conversationViews: last
// messages, then names) on SQLite and on PostgreSQL: same rows, same order, same views — for every
// status, both sorts, Mine/Unassigned/any assignee, a channel, and pages after a cursor, over
// conversations with and without a last message, assigned or not, members with and without a display
// name, authors and echoes, deleted messages, replies, and ties on the sort key. The page reads the last
// message and the first contact from copies the database keeps on the conversation (migration 0013); the
// last case changes messages in every way the app does, one row and several per statement, and checks
// the copies follow.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type ListPageOptions,
  listConversations,
  waitingKeyOf,
} from '../src/inbox/conversation-list-query.ts';
import { conversationPageByIds, listConversationPage } from '../src/inbox/conversation-page.ts';
import { findConversationsByIds } from '../src/inbox/conversation-repository.ts';
import { conversationViews } from '../src/inbox/view-loader.ts';
import * as m0013 from '../src/storage/migrations/0013-conversation-last-message-copy.ts';
import * as m0014 from '../src/storage/migrations/0014-message-copy-per-statement.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/databases.ts';

for (const kind of DATABASE_KINDS) {
  describe(`conversation list page in one statement: ${kind}`, () => {
    let t: TestDatabase;
    const orgId = randomUUID();
    const otherOrg = randomUUID();
    const users = [randomUUID(), randomUUID(), randomUUID()];
    const base = 1_700_000_000_000;

    before(async () => {
      t = await createTestDatabase(kind);
      const db = t.database.db;
      for (const id of [orgId, otherOrg])
        await db.insertInto('organizations').values({ id, name: id, created_at: 0 }).execute();
      // A named member, one whose name is blank (shown by email), one without a name.
      for (const [i, id] of users.entries())
        await db
          .insertInto('users')
          .values({
            id,
            email: `member${i}-${id}@example.test`,
            password_hash: 'x',
            created_at: 0,
            name: i === 0 ? 'Ana' : i === 1 ? '  ' : null,
          })
          .execute();
      for (let c = 0; c < 60; c++) {
        const id = randomUUID();
        const org = c % 10 === 9 ? otherOrg : orgId;
        // Ties on last_message_at every third conversation, so the id decides the order.
        const at = base + Math.floor(c / 3) * 1000;
        const messages = c % 11 === 0 ? 0 : 2;
        await db
          .insertInto('conversations')
          .values({
            id,
            org_id: org,
            channel: c % 2 === 0 ? 'messenger' : 'instagram',
            account_id: 'acct',
            participant_id: randomUUID(),
            participant_name: c % 3 === 0 ? null : `Customer ${c}`,
            participant_handle: c % 2 === 1 ? `customer_${c}` : null,
            profile_checked_at: null,
            last_message_id: null,
            last_message_at: at,
            last_inbound_at: messages > 0 ? at - 10 : null,
            unread_count: c % 4,
            delivered_watermark: 0,
            read_watermark: 0,
            created_at: at,
            updated_at: at,
            status: c % 4 === 0 ? 'resolved' : 'open',
            waiting_since: c % 5 === 0 ? base - c * 500 : null,
            assignee_id: c % 8 < 5 ? users[c % 3]! : null,
          })
          .execute();
        let lastId: string | null = null;
        for (let m = 0; m < messages; m++) {
          lastId = randomUUID();
          const outbound = m === 1;
          await db
            .insertInto('messages')
            .values({
              id: lastId,
              org_id: org,
              conversation_id: id,
              mid: `m_${lastId}`,
              direction: outbound ? 'outbound' : 'inbound',
              text: c % 7 === 0 ? null : `message ${c}-${m}`,
              attachments:
                c % 5 === 0 ? JSON.stringify([{ type: 'image', url: 'https://example.test/a.jpg' }]) : '[]',
              details: c % 4 === 0 ? JSON.stringify({ reply_to_mid: 'm_x', edit_count: 2 }) : null,
              status: outbound ? 'read' : 'received',
              sent_at: at - 10 + m,
              meta_at: at - 10 + m,
              reaction: c % 6 === 0 ? '❤️' : null,
              deleted_at: c % 13 === 0 ? at : null,
              sent_by_user_id: outbound && c % 3 !== 0 ? users[(c % 3) - 1]! : null,
              error: null,
              created_at: at,
              updated_at: at,
            })
            .execute();
        }
        if (lastId)
          await db
            .updateTable('conversations')
            .set({ last_message_id: lastId })
            .where('id', '=', id)
            .execute();
      }
    });
    after(() => t.drop());

    const threeQueries = async (opts: ListPageOptions) => {
      const rows = await listConversations(t.database.db, orgId, opts);
      return { rows, views: await conversationViews(t.database.db, rows) };
    };

    it('equals the three-query page for every filter and sort, first pages and after a cursor', async () => {
      let compared = 0;
      for (const status of ['open', 'resolved', 'all'] as const)
        for (const sort of ['recent', 'waiting'] as const)
          for (const assignee of [undefined, users[0]!, users[1]!, null])
            for (const channel of [undefined, 'instagram'] as const) {
              let after: ListPageOptions['after'] = null;
              for (let page = 0; page < 6; page++) {
                const opts: ListPageOptions = { status, sort, assignee, channel, after, limit: 4 };
                const expected = await threeQueries(opts);
                const got = await listConversationPage(t.database.db, orgId, opts);
                const label = JSON.stringify({ status, sort, assignee, channel, page });
                assert.deepEqual(got.rows, expected.rows, label);
                assert.deepEqual(got.views, expected.views, label);
                compared += got.rows.length;
                const last = got.rows.at(-1);
                if (!last || got.rows.length < 4) break;
                after = { at: sort === 'waiting' ? waitingKeyOf(last) : last.last_message_at, id: last.id };
              }
            }
      assert.ok(compared > 200, `compared ${compared} rows`);
    });

    it('names the assignee and the author as the views do: display name, else email', async () => {
      const { views } = await listConversationPage(t.database.db, orgId, {
        status: 'all',
        sort: 'recent',
        after: null,
        limit: 100,
      });
      assert.equal(views.length, 54, "the organization's conversations only");
      const assigned = views.filter((v) => v.assignee);
      assert.ok(assigned.some((v) => v.assignee!.name === 'Ana'));
      assert.ok(
        assigned.some((v) => v.assignee!.name.startsWith('member1-')),
        'a blank name shows the email',
      );
      const authors = views.map((v) => v.last_message?.author?.name).filter(Boolean);
      assert.ok(authors.includes('Ana') && authors.includes('Facebook') && authors.includes('Instagram'));
      assert.ok(
        views.some((v) => v.last_message === null),
        'a conversation without messages',
      );
    });

    it("by ids (live events, the PATCH answer): the same views as read the three-query way, never another organization's", async () => {
      const all = await t.database.db.selectFrom('conversations').select(['id', 'org_id']).execute();
      const ids = all.map((r) => r.id);
      const expectedRows = (await findConversationsByIds(t.database.db, ids)).filter(
        (r) => r.org_id === orgId,
      );
      const expected = await conversationViews(t.database.db, expectedRows);
      const got = await conversationPageByIds(t.database.db, orgId, ids);
      const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
      assert.equal(got.views.length, 54);
      assert.deepEqual(byId(got.rows), byId(expectedRows));
      assert.deepEqual(byId(got.views), byId(expected));
      assert.deepEqual(await conversationPageByIds(t.database.db, orgId, []), { rows: [], views: [] });
    });

    it('keeps the copies current (migrations 0013 and 0014): every kind of change to a message, older and deleted messages, and the backfill', async () => {
      const db = t.database.db;
      const whole: ListPageOptions = { status: 'all', sort: 'recent', after: null, limit: 100 };
      const sameAsMessages = async (label: string) => {
        const expected = await threeQueries(whole);
        const got = await listConversationPage(db, orgId, whole);
        assert.deepEqual(got.views, expected.views, label);
        return new Map(got.views.map((v) => [v.id, v]));
      };
      // Conversations whose last message is not deleted (a deleted one shows no text to edit).
      const withLast = await db
        .selectFrom('conversations as c')
        .innerJoin('messages as m', 'm.id', 'c.last_message_id')
        .select(['c.id', 'c.last_message_id', 'c.last_message_at'])
        .where('c.org_id', '=', orgId)
        .where('m.deleted_at', 'is', null)
        .orderBy('c.id')
        .execute();
      const [a, b, c, d, e, f] = withLast;
      const change = (id: string, set: Record<string, unknown>) =>
        db.updateTable('messages').set(set).where('id', '=', id).execute();
      // What receipts, reactions, unsends, edits, stored media and a reply's send result write.
      await change(a!.last_message_id!, { status: 'delivered', updated_at: 1 });
      await change(b!.last_message_id!, { reaction: '😮', updated_at: 2 });
      await change(c!.last_message_id!, { deleted_at: 3, updated_at: 3 });
      await change(d!.last_message_id!, { text: 'edited', details: JSON.stringify({ edit_count: 1 }) });
      await change(e!.last_message_id!, {
        attachments: JSON.stringify([{ type: 'file', url: 'https://example.test/f.pdf' }]),
      });
      let views = await sameAsMessages('after updates');
      assert.equal(views.get(a!.id)!.last_message!.status, 'delivered');
      assert.equal(views.get(b!.id)!.last_message!.reaction, '😮');
      assert.equal(views.get(c!.id)!.last_message!.deleted, true);
      assert.equal(views.get(d!.id)!.last_message!.text, 'edited');

      // A newer message becomes the last one; an older one (a history import) moves the first contact.
      const newer = randomUUID();
      const message = (id: string, conversationId: string, at: number, text: string) => ({
        id,
        org_id: orgId,
        conversation_id: conversationId,
        mid: `m_${id}`,
        direction: 'inbound' as const,
        text,
        attachments: '[]',
        details: null,
        status: 'received' as const,
        sent_at: at,
        meta_at: at,
        reaction: null,
        deleted_at: null,
        sent_by_user_id: null,
        error: null,
        created_at: at,
        updated_at: at,
      });
      await db
        .insertInto('messages')
        .values(message(newer, f!.id, f!.last_message_at + 5, 'newest'))
        .execute();
      await db
        .updateTable('conversations')
        .set({ last_message_id: newer, last_message_at: f!.last_message_at + 5 })
        .where('id', '=', f!.id)
        .execute();
      await db
        .insertInto('messages')
        .values(message(randomUUID(), a!.id, 1_000, 'from the archive'))
        .execute();
      // The conversation names its last message before the message is written.
      const early = randomUUID();
      await db.updateTable('conversations').set({ last_message_id: early }).where('id', '=', b!.id).execute();
      await db
        .insertInto('messages')
        .values(message(early, b!.id, b!.last_message_at, 'arrived late'))
        .execute();
      views = await sameAsMessages('after inserts');
      assert.equal(views.get(f!.id)!.last_message!.text, 'newest');
      assert.equal(views.get(a!.id)!.first_contact_at, new Date(1_000).toISOString());
      assert.equal(views.get(b!.id)!.last_message!.text, 'arrived late');

      // A deleted row (a reply dropped for its echo's twin): no last message; the next oldest is first.
      await db.deleteFrom('messages').where('id', '=', newer).execute();
      await db.deleteFrom('messages').where('sent_at', '=', 1_000).execute();
      views = await sameAsMessages('after deletes');
      assert.equal(views.get(f!.id)!.last_message, null);
      assert.notEqual(views.get(a!.id)!.first_contact_at, new Date(1_000).toISOString());

      // Several rows of one conversation in one statement (PostgreSQL's triggers run once per statement
      // since migration 0014): the oldest moves the first contact, the one named last is copied, and a
      // delete of the first and the last together clears the copy and finds the next oldest.
      const g = withLast[6]!;
      const [older, last, between] = [randomUUID(), randomUUID(), randomUUID()];
      await db.updateTable('conversations').set({ last_message_id: last }).where('id', '=', g.id).execute();
      await db
        .insertInto('messages')
        .values([
          message(between, g.id, 3_000, 'between'),
          message(older, g.id, 2_000, 'oldest of three'),
          message(last, g.id, g.last_message_at + 9, 'last of three'),
        ])
        .execute();
      views = await sameAsMessages('after a three-row insert');
      assert.equal(views.get(g.id)!.first_contact_at, new Date(2_000).toISOString());
      assert.equal(views.get(g.id)!.last_message!.text, 'last of three');
      await db
        .updateTable('messages')
        .set({ status: 'read', updated_at: 9 })
        .where('id', 'in', [older, last, between])
        .execute();
      views = await sameAsMessages('after a three-row update');
      assert.equal(views.get(g.id)!.last_message!.status, 'read');
      await db.deleteFrom('messages').where('id', 'in', [older, last]).execute();
      views = await sameAsMessages('after a two-row delete');
      assert.equal(views.get(g.id)!.last_message, null);
      assert.equal(views.get(g.id)!.first_contact_at, new Date(3_000).toISOString());

      // The migration fills the copies of rows written before it (0014 replaces 0013's triggers on
      // PostgreSQL, so it comes off first and goes back on last).
      await m0014.down(db);
      await m0013.down(db);
      await m0013.up(db);
      await m0014.up(db);
      const copies = await db
        .selectFrom('conversations')
        .select((eb) => eb.fn.count<number>('id').as('n'))
        .where('last_message_copy', 'is not', null)
        .executeTakeFirstOrThrow();
      assert.ok(Number(copies.n) > 40, `${copies.n} copies after the backfill`);
      await sameAsMessages('after the backfill');
    });
  });
}

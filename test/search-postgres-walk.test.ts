// PostgreSQL search in two steps (src/search/postgres-search-repository.ts): the organization's newest
// messages walked and tested, then — only when they hold too few hits — the rest read by walking on
// (a common word) or through the GIN index (a rare one: all at once when it is rare in every
// organization, else in batches), as the walk measured. Whatever the walk's length and the threshold,
// the hits equal those of a walk over the whole organization (the plain definition: the newest
// matching message of each of up to `limit` conversations, newest first), for common and rare words,
// prefixes, status and channel filters, ties on sent_at, and another organization's messages.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PostgresSearchRepository } from '../src/search/postgres-search-repository.ts';
import { searchTerms } from '../src/search/search-terms.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

describe('PostgreSQL search: walk, then the rest, equals the whole walk', () => {
  let t: TestDatabase;
  const orgA = randomUUID();
  const orgB = randomUUID();

  before(async () => {
    t = await createTestDatabase('postgres');
    const db = t.database.db;
    for (const id of [orgA, orgB])
      await db.insertInto('organizations').values({ id, name: id, created_at: 0 }).execute();
    const base = 1_700_000_000_000;
    for (let c = 0; c < 40; c++) {
      const org = c % 8 === 7 ? orgB : orgA;
      const id = randomUUID();
      await db
        .insertInto('conversations')
        .values({
          id,
          org_id: org,
          channel: c % 2 === 0 ? 'messenger' : 'instagram',
          account_id: 'acct',
          participant_id: randomUUID(),
          participant_name: null,
          profile_checked_at: null,
          last_message_id: null,
          last_message_at: base + c,
          last_inbound_at: null,
          unread_count: 0,
          delivered_watermark: 0,
          read_watermark: 0,
          created_at: base,
          updated_at: base,
          status: c % 3 === 0 ? 'resolved' : 'open',
          waiting_since: null,
        })
        .execute();
      for (let m = 0; m < 6; m++) {
        const mid = randomUUID();
        // Ties on sent_at between conversations (every other one), so the id decides.
        const at = base + Math.floor(c / 2) * 100 + m;
        await db
          .insertInto('messages')
          .values({
            id: mid,
            org_id: org,
            conversation_id: id,
            mid: `m_${mid}`,
            direction: m % 2 === 0 ? 'inbound' : 'outbound',
            text:
              m % 2 === 0
                ? `Is the order #${c}-${m} ready?`
                : `Ready, see you (${m}) ${c % 5 === 0 ? 'Zurich' : ''}`,
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
      }
    }
  });
  after(() => t.drop());

  it('gives the same hits for any walk length', async () => {
    const whole = new PostgresSearchRepository(100_000);
    let compared = 0;
    for (const q of ['ready', 'order 4', 'order 12', 'zurich', 'see 5', 'nothing', 'rea', 'order 1'])
      for (const prefix of [false, true])
        for (const status of ['open', 'resolved', 'all'] as const)
          for (const channel of [undefined, 'instagram'] as const)
            for (const limit of [3, 50]) {
              const filter = { status, channel, prefix };
              const expected = await whole.newestMessageHits(
                t.database.db,
                orgA,
                searchTerms(q),
                filter,
                limit,
              );
              // rare: 0 sends every GIN read to the batched path; 2,000 reads every rare word at once;
              // 3 takes one path or the other by the word (orgB's messages count too).
              for (const [walk, rare] of [1, 2, 5, 17].flatMap((w) => [0, 3, 2_000].map((r) => [w, r]))) {
                const got = await new PostgresSearchRepository(walk, rare).newestMessageHits(
                  t.database.db,
                  orgA,
                  searchTerms(q),
                  filter,
                  limit,
                );
                assert.deepEqual(
                  got,
                  expected,
                  JSON.stringify({ q, prefix, status, channel, limit, walk, rare }),
                );
                compared += got.length;
              }
            }
    assert.ok(compared > 1500, `compared ${compared} hits`);
  });
});

// Migration 0017: replies that Meta failed before failure reasons were shown kept an admin's wording that
// promised a retry ("…; retrying.", "…; retrying shortly."), which a reply never gets. It gives those
// the answer their sender gets today, and touches nothing else: other failures, other statuses, inbound
// messages. SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ensureConversations } from '../src/inbox/conversation-repository.ts';
import type { MessageStatus } from '../src/inbox/inbox-tables.ts';
import * as m0017 from '../src/storage/migrations/0017-failed-reply-wording.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/databases.ts';

const NOW_ANSWERED = 'Meta could not be reached or is busy; the message was not sent. Try again in a moment';

for (const kind of DATABASE_KINDS) {
  describe(`migration 0017, failed replies that promised a retry: ${kind}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(kind);
    });
    after(() => t.drop());

    type Message = { direction: 'inbound' | 'outbound'; status: MessageStatus; error: string | null };

    /** One conversation holding a message per case, made with each case's direction, status and error. */
    async function messages(rows: Record<string, Message>) {
      const db = t.database.db;
      const orgId = randomUUID();
      await db.insertInto('organizations').values({ id: orgId, name: 'Acme', created_at: 0 }).execute();
      const [conv] = await ensureConversations(
        db,
        [{ key: { orgId, channel: 'messenger', accountId: '1000000001', participantId: 'p-1' }, at: 1 }],
        1,
      );
      const ids = new Map<string, string>();
      let at = 1;
      for (const [key, m] of Object.entries(rows)) {
        const id = randomUUID();
        ids.set(key, id);
        at++;
        await db
          .insertInto('messages')
          .values({
            id,
            org_id: orgId,
            conversation_id: conv!.id,
            mid: m.status === 'failed' ? null : `m_${id}`,
            direction: m.direction,
            text: key,
            attachments: '[]',
            status: m.status,
            sent_at: at,
            meta_at: m.status === 'failed' ? null : at,
            reaction: null,
            deleted_at: null,
            sent_by_user_id: null,
            error: m.error,
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
      return async (key: string) =>
        (
          await db
            .selectFrom('messages')
            .select('error')
            .where('id', '=', ids.get(key)!)
            .executeTakeFirstOrThrow()
        ).error;
    }

    it('rewrites the two retrying wordings of failed replies, and nothing else', async () => {
      const outage = 'Meta could not be reached or had a temporary problem (Meta error 2); retrying.';
      const refusal = 'Meta rejected the access token (Meta error 190); reconnect with Facebook.';
      const errorOf = await messages({
        outage: { direction: 'outbound', status: 'failed', error: outage },
        outage_no_code: {
          direction: 'outbound',
          status: 'failed',
          error: 'Meta could not be reached or had a temporary problem; retrying.',
        },
        throttled: {
          direction: 'outbound',
          status: 'failed',
          error: 'Meta is rate limiting requests (Meta error 4); retrying shortly.',
        },
        refused: { direction: 'outbound', status: 'failed', error: refusal },
        new_wording: {
          direction: 'outbound',
          status: 'failed',
          error: 'Meta refused this message: Meta refused the request (Meta error 100).',
        },
        sent: { direction: 'outbound', status: 'sent', error: null },
        not_failed: { direction: 'outbound', status: 'pending', error: outage },
        inbound: { direction: 'inbound', status: 'received', error: outage },
      });

      await m0017.up(t.database.db);

      assert.equal(await errorOf('outage'), NOW_ANSWERED);
      assert.equal(await errorOf('outage_no_code'), NOW_ANSWERED);
      assert.equal(await errorOf('throttled'), NOW_ANSWERED);
      assert.equal(await errorOf('refused'), refusal);
      assert.equal(
        await errorOf('new_wording'),
        'Meta refused this message: Meta refused the request (Meta error 100).',
      );
      assert.equal(await errorOf('sent'), null);
      assert.equal(await errorOf('not_failed'), outage);
      assert.equal(await errorOf('inbound'), outage);
    });
  });
}

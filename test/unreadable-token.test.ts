// Issue 11 item 9: a Page token sealed under a retired key (its key id no longer in ENCRYPTION_KEYS)
// must not block removal. Disconnect, switching to another Page and Meta's data-deletion callback each
// answer 200, delete the row, keep the organization's history, log that the unsubscribe was skipped
// (ids only, never the token) and queue no unsubscribe job. Paths that need the token to work (health
// check, refresh Instagram, retry) turn the connection reauth_required with a reason instead of a 500.
// R16 (key rotation), R47/R48 (disconnect deletes the token; unsubscribe best effort), R49 (data deletion).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pageTokenAad } from '../src/connections/page-token.ts';
import { UNSUBSCRIBE_JOB } from '../src/connections/unsubscribe-job.ts';
import { parseKeyring } from '../src/secrets/keyring.ts';
import { TokenCipher } from '../src/secrets/token-cipher.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { DATABASE_KINDS } from './support/databases.ts';
import { Browser, signup } from './support/http-client.ts';
import { connectingFacebookUser } from './support/inbox-fixtures.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';
import { postWebhook } from './support/webhook-client.ts';
import { inbound, mid, pageBody, psid } from './support/webhook-payloads.ts';

type Status = {
  connected: boolean;
  connection: { status: string; status_reason: string | null; facebook_page_id: string };
};
type Activity = { events: Array<{ kind: string }> };

const retiredKey = new TokenCipher(
  parseKeyring(`k0:${randomBytes(32).toString('base64')}`, 'ENCRYPTION_KEYS'),
);

for (const db of DATABASE_KINDS) {
  describe(`an unreadable Page token on ${db}`, () => {
    let h: Harness;
    let meta: EmulatedMeta;
    before(async () => {
      h = await startHarness({ db, redis: db === 'postgres', meta: emulatorFor, realClock: true });
      meta = emulated(h.meta);
    });
    after(() => h.close());
    beforeEach(async () => {
      await meta.client.reset();
      await h.testDb.database.db.deleteFrom('organization_meta_settings').execute();
    });

    /** A connected organization with one conversation, whose stored token is then sealed under k0. */
    const connectedWithRetiredKey = async (persona = 'one', pick?: (ids: string[]) => string) => {
      const b = new Browser(h.url);
      const { orgId } = await signup(b);
      await connectAs(b, meta, persona);
      if (pick) {
        const list = await b.get<{ pages: Array<{ id: string }> }>('/api/integrations/meta/pending-pages');
        await b.post('/api/integrations/meta/select-page', {
          page_id: pick(list.body.pages.map((p) => p.id)),
        });
      }
      const pageId = (await b.get<Status>('/api/integrations/meta')).body.connection.facebook_page_id;
      const body = JSON.stringify(
        pageBody(pageId, [inbound(pageId, psid(), { mid: mid(), text: 'hi', timestamp: Date.now() })]),
      );
      assert.equal((await postWebhook(h.url, body, { secret: meta.appSecret })).status, 200);
      await h.features.inbox.processor.drain();
      await h.testDb.database.db
        .updateTable('organization_meta_settings')
        .set({ page_access_token: retiredKey.encrypt('EAAretired-token', pageTokenAad(orgId, pageId)) })
        .where('org_id', '=', orgId)
        .execute();
      await h.testDb.database.db.deleteFrom('jobs').execute();
      h.logs.length = 0;
      return { b, orgId, pageId };
    };

    const assertRemoved = async (orgId: string, pageId: string) => {
      const rows = await h.testDb.database.db
        .selectFrom('organization_meta_settings')
        .select('org_id')
        .where('facebook_page_id', '=', pageId)
        .execute();
      assert.equal(rows.length, 0, 'the connection with the unreadable token is gone');
      const conversations = await h.testDb.database.db
        .selectFrom('conversations')
        .select('id')
        .where('org_id', '=', orgId)
        .execute();
      assert.equal(conversations.length, 1, 'the organization keeps its history');
      const unsubscribes = await h.testDb.database.db
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', UNSUBSCRIBE_JOB)
        .execute();
      assert.equal(unsubscribes.length, 0, 'no unsubscribe job for a token nobody can open');
      const skipped = h.logs.filter((l) => l.includes('unsubscribe skipped'));
      assert.equal(skipped.length, 1, `one log line says the unsubscribe was skipped:\n${h.logs.join('')}`);
      assert.match(skipped[0]!, new RegExp(pageId));
      assert.ok(!h.logs.some((l) => l.includes('EAAretired')), 'no token in the logs');
    };

    it('disconnect answers 200 and deletes the row', async () => {
      const { b, orgId, pageId } = await connectedWithRetiredKey();
      const res = await b.post<{ disconnected: boolean }>('/api/integrations/meta/disconnect');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { disconnected: true });
      await assertRemoved(orgId, pageId);
      const kinds = (await b.get<Activity>('/api/integrations/meta/activity')).body.events.map((e) => e.kind);
      assert.equal(kinds[0], 'disconnected');
    });

    it('switching to another Page answers with the new connection and replaces the row', async () => {
      const { b, orgId, pageId } = await connectedWithRetiredKey('three', (ids) => ids[0]!);
      await connectAs(b, meta, 'three');
      const list = await b.get<{ pages: Array<{ id: string }> }>('/api/integrations/meta/pending-pages');
      const other = list.body.pages.find((p) => p.id !== pageId)!.id;
      const res = await b.post<{ connection: { facebook_page_id: string } }>(
        '/api/integrations/meta/select-page',
        { page_id: other },
      );
      assert.equal(res.status, 200);
      assert.equal(res.body.connection.facebook_page_id, other);
      await assertRemoved(orgId, pageId);
    });

    it('a data-deletion callback answers 200 and deletes the row', async () => {
      const { b, orgId, pageId } = await connectedWithRetiredKey();
      const fbUser = await connectingFacebookUser(h, orgId);
      const sent = await meta.client.dataDeletion({
        user_id: fbUser,
        url: `${h.url}/integrations/meta-messaging/data-deletion`,
      });
      assert.equal(sent.status, 200);
      assert.deepEqual((await b.get('/api/integrations/meta')).body, { connected: false });
      await assertRemoved(orgId, pageId);
    });

    it('a reply answers 424 reauth_required (not a 500) and marks the connection so; nothing is sent', async () => {
      const { b, orgId } = await connectedWithRetiredKey();
      const conv = await h.testDb.database.db
        .selectFrom('conversations')
        .select('id')
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow();
      const sendsBefore = (await meta.client.calls()).filter((c) => c.endpoint === 'send').length;
      const reply = await b.post<{ error: { code: string } }>(`/api/conversations/${conv.id}/messages`, {
        text: 'hello',
      });
      assert.equal(reply.status, 424);
      assert.equal(reply.body.error.code, 'reauth_required');
      const status = (await b.get<Status>('/api/integrations/meta')).body.connection;
      assert.equal(status.status, 'reauth_required');
      assert.match(status.status_reason ?? '', /cannot be decrypted/);
      const sendsAfter = (await meta.client.calls()).filter((c) => c.endpoint === 'send').length;
      assert.equal(sendsAfter, sendsBefore, 'nothing reached the Send API');
    });

    it('the health check, refresh Instagram and retry mark the connection reauth_required with a reason, not a 500', async () => {
      const { b } = await connectedWithRetiredKey();
      const checked = await b.post<Status>('/api/integrations/meta/health-check');
      assert.equal(checked.status, 200);
      assert.equal(checked.body.connection.status, 'reauth_required');
      assert.match(checked.body.connection.status_reason ?? '', /cannot be decrypted|reconnect/i);
      const log = (await b.get<Activity>('/api/integrations/meta/activity')).body.events;
      assert.equal(log[0]?.kind, 'token_rejected');

      await h.testDb.database.db
        .updateTable('organization_meta_settings')
        .set({ status: 'active', status_reason: null })
        .execute();
      const refreshed = await b.post<Status>('/api/integrations/meta/refresh-instagram');
      assert.equal(refreshed.status, 200);
      assert.equal(refreshed.body.connection.status, 'reauth_required');

      await h.testDb.database.db
        .updateTable('organization_meta_settings')
        .set({ status: 'needs_attention', status_reason: null })
        .execute();
      const retried = await b.post('/api/integrations/meta/retry-subscriptions');
      assert.ok(retried.status < 500, `retry answered ${retried.status}`);
      const after = (await b.get<Status>('/api/integrations/meta')).body.connection;
      assert.equal(after.status, 'reauth_required');
      assert.ok(!h.logs.some((l) => l.includes('EAAretired')), 'no token in the logs');
    });
  });
}

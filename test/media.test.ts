// Issue 13, media kept: the emulator is Meta's CDN. A file is stored by the background job, served to
// members of its organization only (404 for another), with its sniffed type, Content-Disposition,
// nosniff and ranges, and still served after the CDN forgot it. Downloads are SSRF-safe: a host not in
// META_MEDIA_HOSTS, a listed name that resolves to a private address, a redirect to either, and HTML
// pretending to be an image are each handled; a file that fails for good says so and the message stays.
//
// Name resolution is injected (Deps.mediaResolver): the test maps `cdn.fbcdn.net` to 127.0.0.1 without
// a DNS server or a hosts file, which also proves the check runs on what the name resolves to, not on
// the name. The emulator itself is reached through its listed IP literal, 127.0.0.1.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConversationView, MessageView } from '../src/contract.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup } from './support/http-client.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';

let personas = 0;

for (const store of ['file', 'database'] as const) {
  const db = store === 'file' ? ('sqlite' as const) : ('postgres' as const);
  describe(`media kept (MEDIA_STORE=${store}, ${db})`, () => {
    let h: Harness;
    let meta: EmulatedMeta;

    before(async () => {
      h = await startHarness({
        db,
        realClock: true,
        meta: emulatorFor,
        env: {
          META_MEDIA_HOSTS: 'fbcdn.net,127.0.0.1',
          ...(store === 'database' ? { MEDIA_STORE: 'database' } : {}),
        },
        mediaResolver: async (host) =>
          host === 'cdn.fbcdn.net'
            ? [{ address: '127.0.0.1', family: 4 }]
            : [{ address: '93.184.216.34', family: 4 }],
      });
      meta = emulated(h.meta);
      await meta.client.reset({ auto_delivery_ms: null, auto_read_ms: null });
    });
    after(() => h.close());

    const drain = async () => {
      await h.features.inbox.processor.drain();
      await h.features.meta.jobs.runDue();
    };
    const connected = async () => {
      const key = `media-${store}-${++personas}`;
      const persona = await meta.client.createPersona({ key, pages: 1, ig_ratio: 1 });
      const b = new Browser(h.url);
      await signup(b, `Media ${personas}`);
      await connectAs(b, meta, key);
      return { b, pageId: persona.pages[0]!.id, userId: persona.user_id };
    };
    const lastMessage = async (b: Browser) => {
      const conv = (await b.get<{ conversations: ConversationView[] }>('/api/conversations')).body
        .conversations[0]!;
      return (await b.get<{ messages: MessageView[] }>(`/api/conversations/${conv.id}/messages`)).body
        .messages[0]!;
    };
    const cdn = (file: string) => `${meta.url}/_emulator/cdn/${file}`;
    const raw = (b: Browser, path: string, headers: Record<string, string> = {}) =>
      fetch(`${h.url}${path}`, {
        headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...headers },
      });

    it('stored, served to its organization only, with type, disposition, nosniff and ranges; still served after the CDN forgets it', async () => {
      const o = await connected();
      await meta.client.inbound({
        page_id: o.pageId,
        attachments: [{ type: 'audio', url: cdn('note.mp3') }],
      });
      await h.features.inbox.processor.drain();
      const pending = await lastMessage(o.b);
      assert.equal(pending.attachments[0]!.url, null);
      assert.equal(pending.attachments[0]!.status, 'pending');
      await drain();
      const att = (await lastMessage(o.b)).attachments[0]!;
      assert.equal(att.status, undefined);
      assert.equal(att.mime_type, 'audio/mpeg');
      assert.equal(att.size, 417 * 12);
      assert.equal(att.name, 'note.mp3');
      const res = await raw(o.b, att.url!);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'audio/mpeg');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(res.headers.get('content-disposition')!, /^inline; filename="note.mp3"/);
      assert.equal(res.headers.get('accept-ranges'), 'bytes');
      assert.equal((await res.arrayBuffer()).byteLength, 417 * 12);
      const part = await raw(o.b, att.url!, { range: 'bytes=0-3' });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 0-3/${417 * 12}`);
      assert.deepEqual([...new Uint8Array(await part.arrayBuffer())], [0xff, 0xfb, 0x90, 0x64]);
      assert.equal((await raw(o.b, att.url!, { range: 'bytes=99999-' })).status, 416);

      // Another organization, and nobody at all: not found, never forbidden.
      const other = await connected();
      assert.equal((await raw(other.b, att.url!)).status, 404);
      assert.equal((await fetch(`${h.url}${att.url}`)).status, 401);

      await meta.client.forgetCdn('note.mp3');
      assert.equal((await fetch(cdn('note.mp3'))).status, 404, 'the CDN forgot it');
      assert.equal((await raw(o.b, att.url!)).status, 200, 'Parley still has it');
    });

    it('HTML claiming to be image/png is stored as application/octet-stream and served as a download', async () => {
      const o = await connected();
      await meta.client.inbound({
        page_id: o.pageId,
        attachments: [{ type: 'image', url: cdn('trick.html') }],
      });
      await drain();
      const att = (await lastMessage(o.b)).attachments[0]!;
      assert.equal(att.mime_type, 'application/octet-stream');
      const res = await raw(o.b, att.url!);
      assert.equal(res.headers.get('content-type'), 'application/octet-stream');
      assert.match(res.headers.get('content-disposition')!, /^attachment;/);
    });

    it('refused for good: a non-listed host, a listed name resolving to a private address, a redirect to one, a file the CDN forgot; the message stays', async () => {
      const o = await connected();
      const cases = [
        'https://evil.example.com/x.png',
        'https://cdn.fbcdn.net/v/t1/photo.png',
        `${meta.url}/_emulator/cdn-redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data')}`,
        cdn('gone.png'),
      ];
      await meta.client.forgetCdn('gone.png');
      for (const url of cases) {
        await meta.client.inbound({
          page_id: o.pageId,
          text: `see ${url}`,
          attachments: [{ type: 'image', url }],
        });
        await drain();
        const m = await lastMessage(o.b);
        assert.equal(m.text, `see ${url}`, 'the message is kept');
        assert.equal(m.attachments[0]!.status, 'unavailable', url);
        assert.equal(m.attachments[0]!.url, null);
      }
      const rows = await h.testDb.database.db.selectFrom('media').select(['status', 'error']).execute();
      const errors = rows.filter((r) => r.status === 'failed').map((r) => r.error);
      assert.ok(errors.includes('host evil.example.com is not listed'));
      assert.ok(errors.includes('cdn.fbcdn.net resolves to a non-public address'));
      assert.ok(errors.includes('address 169.254.169.254 is not listed'));
      assert.ok(errors.includes('HTTP 404'));
    });

    it('a transient failure (CDN 503) is retried with backoff, then the file is stored', async () => {
      const o = await connected();
      await meta.client.inbound({
        page_id: o.pageId,
        attachments: [{ type: 'image', url: cdn('flaky-1.png') }],
      });
      await drain();
      assert.equal((await lastMessage(o.b)).attachments[0]!.status, 'pending', 'first try got a 503');
      // This file's job, by its dedupe key: earlier tests may have left a job of theirs (a retry).
      const media = await h.testDb.database.db
        .selectFrom('media')
        .select('id')
        .where('source_url', '=', cdn('flaky-1.png'))
        .executeTakeFirstOrThrow();
      const [job] = await h.testDb.database.db
        .selectFrom('jobs')
        .selectAll()
        .where('dedupe_key', '=', `media:${media.id}`)
        .execute();
      assert.ok(job && job.run_at > Date.now(), 'rescheduled for later');
      assert.equal(job.last_error, 'HTTP 503');
      // Time passes: the retry is due.
      await h.testDb.database.db.updateTable('jobs').set({ run_at: 0 }).where('id', '=', job.id).execute();
      await drain();
      const att = (await lastMessage(o.b)).attachments[0]!;
      assert.equal(att.mime_type, 'image/png');
      assert.ok(att.url);
    });

    it('disconnect keeps media; Meta data deletion removes it (the message stays, "no longer available"); a deleted organization’s files are swept', async () => {
      const o = await connected();
      await meta.client.inbound({
        page_id: o.pageId,
        text: 'receipt',
        attachments: [{ type: 'file', url: cdn('receipt.pdf') }],
      });
      await drain();
      const url = (await lastMessage(o.b)).attachments[0]!.url!;
      const orgId = (
        await h.testDb.database.db
          .selectFrom('media')
          .select('org_id')
          .where('name', '=', 'receipt.pdf')
          .executeTakeFirstOrThrow()
      ).org_id;
      assert.equal((await o.b.post('/api/integrations/meta/disconnect', {})).status, 200);
      assert.equal((await raw(o.b, url)).status, 200, 'disconnect keeps media with the history');

      // Reconnect, then Meta asks for the connecting user's data to be deleted.
      await connectAs(o.b, meta, `media-${store}-${personas}`);
      const sent = await meta.client.dataDeletion({
        user_id: o.userId,
        url: `${h.url}/integrations/meta-messaging/data-deletion`,
      });
      assert.equal(sent.status, 200);
      assert.equal((await raw(o.b, url)).status, 404, 'the file is gone');
      const m = await lastMessage(o.b);
      assert.equal(m.text, 'receipt');
      assert.equal(m.attachments[0]!.status, 'unavailable');
      const left = await h.testDb.database.db
        .selectFrom('media')
        .select('id')
        .where('org_id', '=', orgId)
        .execute();
      assert.equal(left.length, 0);

      // Organization deletion: rows cascade; the file store's folder is swept.
      const other = await connected();
      await meta.client.inbound({
        page_id: other.pageId,
        attachments: [{ type: 'image', url: cdn('keep.png') }],
      });
      await drain();
      const otherOrg = (
        await h.testDb.database.db
          .selectFrom('organizations')
          .select('id')
          .orderBy('created_at', 'desc')
          .executeTakeFirstOrThrow()
      ).id;
      const dir = h.config.mediaStore.kind === 'file' ? join(h.config.mediaStore.dir, otherOrg) : null;
      if (dir) assert.ok(existsSync(dir));
      await h.testDb.database.db.deleteFrom('organizations').where('id', '=', otherOrg).execute();
      assert.equal(
        (await h.testDb.database.db.selectFrom('media').select('id').where('org_id', '=', otherOrg).execute())
          .length,
        0,
      );
      await h.features.media.media.sweepDeletedOrganizations();
      if (dir) assert.ok(!existsSync(dir), 'the folder went with the organization');
    });
  });
}

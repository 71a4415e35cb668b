// Saved replies (issue 12 item 8) over real HTTP, on SQLite and on PostgreSQL + Redis: any member lists
// them ordered by title and filtered by `q`; owners and admins create, edit and delete them, agents get
// 403 forbidden; another organization's id is 404 (R23); titles are 1–80 characters and unique per
// organization regardless of case (409 title_taken, settled by the database: R28), texts 1–2,000 (422);
// an organization keeps at most 500 (409 limit_reached);
// writes follow the CSRF rule of every state-changing /api request (R25).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SAVED_REPLIES_MAX } from '../src/saved-replies/saved-replies-service.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { addMember, Browser, signup } from './support/http-client.ts';

const setups = [
  { db: 'sqlite' as const, redis: false },
  { db: 'postgres' as const, redis: true },
];

type SavedReply = { id: string; title: string; text: string; updated_at: string };
type ListBody = { saved_replies: SavedReply[] };
type OneBody = { saved_reply: SavedReply };
type ErrorBody = { error: { code: string; message: string } };

for (const setup of setups) {
  describe(`saved replies on ${setup.db}${setup.redis ? ' + redis' : ''}`, () => {
    let h: Harness;

    before(async () => {
      h = await startHarness(setup);
    });
    after(() => h.close());

    const org = async (name: string) => {
      const b = new Browser(h.url);
      return { b, ...(await signup(b, name)) };
    };
    const create = (b: Browser, title: string, text: string) =>
      b.post<OneBody & ErrorBody>('/api/saved-replies', { title, text });
    const patch = (b: Browser, id: string, json: unknown) =>
      b.request<OneBody & ErrorBody>('PATCH', `/api/saved-replies/${id}`, { json });
    const remove = (b: Browser, id: string) => b.request<ErrorBody>('DELETE', `/api/saved-replies/${id}`);
    const titles = async (b: Browser, query = '') => {
      const res = await b.get<ListBody>(`/api/saved-replies${query}`);
      assert.equal(res.status, 200, res.text);
      return res.body.saved_replies.map((r) => r.title);
    };

    it('an owner creates, lists (ordered by title, any case), edits and deletes saved replies', async () => {
      const o = await org('Saved CRUD');
      assert.deepEqual(await titles(o.b), []);
      const created = await create(o.b, '  Return policy ', ' You can return any item within 30 days. ');
      assert.equal(created.status, 201, created.text);
      const reply = created.body.saved_reply;
      assert.equal(reply.title, 'Return policy');
      assert.equal(reply.text, 'You can return any item within 30 days.');
      assert.ok(!Number.isNaN(Date.parse(reply.updated_at)));
      assert.equal((await create(o.b, 'greeting', 'Hi {{first_name}}, thanks for writing!')).status, 201);
      assert.equal((await create(o.b, 'Opening hours', 'We are open 9–17, Monday to Friday.')).status, 201);
      assert.deepEqual(await titles(o.b), ['greeting', 'Opening hours', 'Return policy']);

      h.clock.advance(60_000);
      const edited = await patch(o.b, reply.id, { text: 'Returns are free for 30 days.' });
      assert.equal(edited.status, 200, edited.text);
      assert.deepEqual(
        { title: edited.body.saved_reply.title, text: edited.body.saved_reply.text },
        { title: 'Return policy', text: 'Returns are free for 30 days.' },
      );
      assert.ok(Date.parse(edited.body.saved_reply.updated_at) > Date.parse(reply.updated_at));
      const renamed = await patch(o.b, reply.id, { title: 'Returns' });
      assert.equal(renamed.body.saved_reply.text, 'Returns are free for 30 days.');
      assert.deepEqual(await titles(o.b), ['greeting', 'Opening hours', 'Returns']);
      // Changing only the case of its own title is not a clash with itself.
      assert.equal((await patch(o.b, reply.id, { title: 'RETURNS' })).status, 200);

      const gone = await remove(o.b, reply.id);
      assert.equal(gone.status, 204);
      assert.deepEqual(await titles(o.b), ['greeting', 'Opening hours']);
      assert.equal((await remove(o.b, reply.id)).body.error.code, 'not_found');
      assert.equal((await patch(o.b, reply.id, { text: 'x' })).status, 404);
    });

    it('q keeps replies whose title or text contains it, in any case and without accents', async () => {
      const o = await org('Saved Search');
      await create(o.b, 'Café hours', 'Our café opens at 8.');
      await create(o.b, 'Refund', 'We refund within five days.');
      await create(o.b, 'Shipping', 'Parcels leave the CAFE warehouse daily.');
      assert.deepEqual(await titles(o.b, '?q=cafe'), ['Café hours', 'Shipping']);
      assert.deepEqual(await titles(o.b, '?q=REFUND'), ['Refund']);
      assert.deepEqual(await titles(o.b, '?q=five%20days'), ['Refund']);
      assert.deepEqual(await titles(o.b, '?q=nothing'), []);
      assert.deepEqual(await titles(o.b, '?q='), ['Café hours', 'Refund', 'Shipping']);
    });

    it('admins write too; agents read the list and get 403 forbidden on every write', async () => {
      const o = await org('Saved Roles');
      const { browser: admin } = await addMember(o.b, 'admin');
      const { browser: agent } = await addMember(o.b, 'agent');
      const made = await create(admin, 'Thanks', 'Thank you for your patience.');
      assert.equal(made.status, 201, made.text);
      const id = made.body.saved_reply.id;
      assert.deepEqual(await titles(agent), ['Thanks']);

      const tries = [
        await create(agent, 'Mine', 'An agent wrote this.'),
        await patch(agent, id, { text: 'Changed by an agent' }),
        await remove(agent, id),
      ];
      for (const res of tries) {
        assert.equal(res.status, 403);
        assert.equal(res.body.error.code, 'forbidden');
      }
      const [kept] = (await agent.get<ListBody>('/api/saved-replies')).body.saved_replies;
      assert.equal(kept?.text, 'Thank you for your patience.');
      assert.equal((await patch(admin, id, { text: 'Thanks a lot!' })).status, 200);
      assert.equal((await remove(admin, id)).status, 204);
    });

    it('R23: another organization neither sees nor changes them (404), and may reuse the title', async () => {
      const a = await org('Saved A');
      const b = await org('Saved B');
      const id = (await create(a.b, 'Greeting', 'Hello from A')).body.saved_reply.id;
      assert.deepEqual(await titles(b.b), []);
      const edit = await patch(b.b, id, { text: 'Hello from B' });
      assert.equal(edit.status, 404);
      assert.equal(edit.body.error.code, 'not_found');
      assert.equal((await remove(b.b, id)).status, 404);
      assert.equal((await create(b.b, 'Greeting', 'Hello from B')).status, 201);
      const [mine] = (await a.b.get<ListBody>('/api/saved-replies')).body.saved_replies;
      assert.equal(mine?.text, 'Hello from A');
      // Signed out: 401, not the list.
      assert.equal((await new Browser(h.url).get('/api/saved-replies')).status, 401);
    });

    it('titles are unique per organization regardless of case (409 title_taken), also when two admins race (R28)', async () => {
      const o = await org('Saved Unique');
      assert.equal((await create(o.b, 'Return policy', 'A')).status, 201);
      const dup = await create(o.b, 'RETURN POLICY', 'B');
      assert.equal(dup.status, 409);
      assert.equal(dup.body.error.code, 'title_taken');
      const other = (await create(o.b, 'Other', 'C')).body.saved_reply.id;
      const renamed = await patch(o.b, other, { title: 'return Policy' });
      assert.equal(renamed.status, 409);
      assert.equal(renamed.body.error.code, 'title_taken');

      const race = await Promise.all([create(o.b, 'Same time', 'one'), create(o.b, 'same TIME', 'two')]);
      assert.deepEqual(race.map((r) => r.status).sort(), [201, 409]);
      const winner = race[0]!.status === 201 ? 'Same time' : 'same TIME';
      assert.deepEqual(await titles(o.b), ['Other', 'Return policy', winner]);
      assert.equal(race.find((r) => r.status === 409)?.body.error.code, 'title_taken');
    });

    it(`an organization keeps at most ${SAVED_REPLIES_MAX}: one more is 409 limit_reached, nothing saved; after a delete it fits`, async () => {
      const o = await org('Saved Full');
      // All but one stored directly (500 HTTP round trips would only slow the suite down).
      const rows = Array.from({ length: SAVED_REPLIES_MAX - 1 }, (_, i) => ({
        id: randomUUID(),
        org_id: o.orgId,
        title: `Reply ${String(i).padStart(3, '0')}`,
        title_key: `reply ${String(i).padStart(3, '0')}`,
        text: 'Stored directly',
        created_by: o.userId,
        created_at: 0,
        updated_at: 0,
      }));
      for (let i = 0; i < rows.length; i += 100)
        await h.testDb.database.db
          .insertInto('saved_replies')
          .values(rows.slice(i, i + 100))
          .execute();
      const last = await create(o.b, 'The last one', 'Fits');
      assert.equal(last.status, 201, last.text);
      const over = await create(o.b, 'One too many', 'Does not fit');
      assert.equal(over.status, 409, over.text);
      assert.equal(over.body.error.code, 'limit_reached');
      assert.match(over.body.error.message, /500 saved replies.*delete one/);
      const list = await titles(o.b);
      assert.equal(list.length, SAVED_REPLIES_MAX);
      assert.ok(!list.includes('One too many'));
      assert.equal((await remove(o.b, last.body.saved_reply.id)).status, 204);
      assert.equal((await create(o.b, 'One too many', 'Fits now')).status, 201);
    });

    it('422 invalid_title for an empty, over-long or multi-line title; 422 invalid_text for empty or over 2,000 characters', async () => {
      const o = await org('Saved Rules');
      const cases: Array<[string, string, string]> = [
        ['   ', 'Some text', 'invalid_title'],
        ['x'.repeat(81), 'Some text', 'invalid_title'],
        ['Two\nlines', 'Some text', 'invalid_title'],
        ['Empty text', ' \n ', 'invalid_text'],
        ['Long text', 'y'.repeat(2001), 'invalid_text'],
      ];
      for (const [title, text, code] of cases) {
        const res = await create(o.b, title, text);
        assert.equal(res.status, 422, `${JSON.stringify(title.slice(0, 10))}: ${res.text}`);
        assert.equal(res.body.error.code, code);
      }
      assert.match((await create(o.b, 'Long text', 'y'.repeat(2001))).body.error.message, /2,000/);
      // The limits themselves are accepted.
      assert.equal((await create(o.b, 'x'.repeat(80), 'y'.repeat(2000))).status, 201);
      const id = (await create(o.b, 'Valid', 'Valid text')).body.saved_reply.id;
      assert.equal((await patch(o.b, id, { title: '' })).body.error.code, 'invalid_title');
      assert.equal((await patch(o.b, id, { text: 'z'.repeat(2001) })).body.error.code, 'invalid_text');
      // Malformed bodies are the schema's 400, like every route.
      assert.equal((await patch(o.b, id, {})).status, 400);
      assert.equal((await o.b.post<ErrorBody>('/api/saved-replies', { title: 'No text' })).status, 400);
      assert.equal((await o.b.post<ErrorBody>('/api/saved-replies', { title: 5, text: 'x' })).status, 400);
      const [valid] = (await o.b.get<ListBody>('/api/saved-replies?q=valid')).body.saved_replies;
      assert.equal(valid?.text, 'Valid text');
    });

    it('R25: a cross-site write is refused with 403 csrf_rejected and a form post with 415; nothing changes', async () => {
      const o = await org('Saved CSRF');
      const id = (await create(o.b, 'Keep', 'Keep me')).body.saved_reply.id;
      const evil = { origin: 'https://evil.example' };
      const attempts = [
        await o.b.request<ErrorBody>('POST', '/api/saved-replies', {
          json: { title: 'Evil', text: 'x' },
          headers: evil,
        }),
        await o.b.request<ErrorBody>('PATCH', `/api/saved-replies/${id}`, {
          json: { text: 'x' },
          headers: evil,
        }),
        await o.b.request<ErrorBody>('DELETE', `/api/saved-replies/${id}`, { headers: evil }),
        await o.b.request<ErrorBody>('POST', '/api/saved-replies', {
          rawBody: 'title=Evil&text=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      ];
      assert.deepEqual(
        attempts.map((r) => r.status),
        [403, 403, 403, 415],
      );
      assert.equal(attempts[0]!.body.error.code, 'csrf_rejected');
      const list = (await o.b.get<ListBody>('/api/saved-replies')).body.saved_replies;
      assert.deepEqual(
        list.map((r) => [r.title, r.text]),
        [['Keep', 'Keep me']],
      );
    });
  });
}

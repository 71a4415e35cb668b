// CONTRACT §3 over real HTTP, on SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { DATABASE_KINDS } from './support/databases.ts';
import { Browser, signup, uniqueEmail } from './support/http-client.ts';

for (const db of DATABASE_KINDS) {
  describe(`accounts on ${db}`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ db });
    });
    after(() => h.close());

    it('signup returns 201 with the owner role and an HttpOnly SameSite=Lax session cookie', async () => {
      const b = new Browser(h.url);
      const email = uniqueEmail();
      const res = await b.post<{ user: { email: string }; organization: { name: string }; role: string }>(
        '/api/auth/signup',
        { email, password: 'correct horse battery', organization_name: 'Acme' },
      );
      assert.equal(res.status, 201);
      assert.equal(res.body.role, 'owner');
      assert.equal(res.body.user.email, email);
      assert.equal(res.body.organization.name, 'Acme');
      const cookie = res.headers.getSetCookie().join('\n');
      assert.match(cookie, /parley_session=/);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Lax/i);
      assert.doesNotMatch(cookie, /Secure/i, 'no Secure flag on http PUBLIC_URL');
      const me = await b.get<{ user: { email: string }; role: string }>('/api/auth/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.user.email, email);
      assert.equal(me.body.role, 'owner');
    });

    it('a duplicate email gets 409 email_taken and creates no second organization', async () => {
      const email = uniqueEmail();
      const body = { email, password: 'correct horse battery', organization_name: 'One' };
      assert.equal((await new Browser(h.url).post('/api/auth/signup', body)).status, 201);
      const again = await new Browser(h.url).post<{ error: { code: string } }>('/api/auth/signup', {
        ...body,
        email: email.toUpperCase(),
        organization_name: 'Two',
      });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'email_taken');
      const orgs = await h.testDb.database.db
        .selectFrom('organizations')
        .select('name')
        .where('name', '=', 'Two')
        .execute();
      assert.equal(orgs.length, 0, 'the failed signup left no half-saved organization');
    });

    it('rejects bad input with precise 400s', async () => {
      const b = new Browser(h.url);
      const cases: Array<[unknown, string]> = [
        [
          { email: 'not-an-email', password: 'correct horse battery', organization_name: 'A' },
          'invalid_request',
        ],
        [{ email: uniqueEmail(), password: 'short', organization_name: 'A' }, 'invalid_request'],
        [{ email: uniqueEmail(), password: 12345678901, organization_name: 'A' }, 'invalid_request'],
        [{ email: uniqueEmail(), password: 'correct horse battery' }, 'invalid_request'],
      ];
      for (const [json, code] of cases) {
        const res = await b.post<{ error: { code: string; message: string } }>('/api/auth/signup', json);
        assert.equal(res.status, 400, JSON.stringify(json));
        assert.equal(res.body.error.code, code);
        assert.ok(res.body.error.message.length > 0);
      }
      const malformed = await b.request<{ error: { code: string } }>('POST', '/api/auth/signup', {
        rawBody: '{"email": ',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.code, 'invalid_json');
      const huge = await b.request<{ error: { code: string } }>('POST', '/api/auth/signup', {
        rawBody: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(200_000), organization_name: 'A' }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(huge.status, 413);
      assert.equal(huge.body.error.code, 'payload_too_large');
    });

    it('login: 200 with the same shape, 401 invalid_credentials for a wrong password or unknown email', async () => {
      const owner = new Browser(h.url);
      const { email } = await signup(owner);
      const b = new Browser(h.url);
      const ok = await b.post<{ role: string; user: { email: string } }>('/api/auth/login', {
        email,
        password: 'correct horse battery',
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.role, 'owner');
      assert.equal((await b.get('/api/auth/me')).status, 200);
      for (const creds of [
        { email, password: 'wrong password!' },
        { email: uniqueEmail('nobody'), password: 'correct horse battery' },
      ]) {
        const res = await new Browser(h.url).post<{ error: { code: string } }>('/api/auth/login', creds);
        assert.equal(res.status, 401);
        assert.equal(res.body.error.code, 'invalid_credentials');
      }
    });

    it('logout ends the session server-side', async () => {
      const b = new Browser(h.url);
      await signup(b);
      const stolen = new Map(b.cookies);
      assert.equal((await b.post('/api/auth/logout')).status, 204);
      assert.equal((await b.get('/api/auth/me')).status, 401);
      const replay = new Browser(h.url);
      for (const [k, v] of stolen) replay.cookies.set(k, v);
      assert.equal((await replay.get('/api/auth/me')).status, 401, 'the old cookie no longer works');
    });

    it('me without a session is 401; a forged cookie is 401', async () => {
      assert.equal((await new Browser(h.url).get('/api/auth/me')).status, 401);
      const forged = new Browser(h.url);
      forged.cookies.set('parley_session', 'x'.repeat(43));
      assert.equal((await forged.get('/api/auth/me')).status, 401);
    });

    it('owners add members with roles; agents get 403; members are per organization', async () => {
      const owner = new Browser(h.url);
      await signup(owner, 'Org A');
      const agentEmail = uniqueEmail('agent');
      const added = await owner.post<{ role: string }>('/api/organization/members', {
        email: agentEmail,
        password: 'agent password 1',
        role: 'agent',
      });
      assert.equal(added.status, 201);
      assert.equal(added.body.role, 'agent');
      const adminEmail = uniqueEmail('admin');
      assert.equal(
        (
          await owner.post('/api/organization/members', {
            email: adminEmail,
            password: 'admin password 1',
            role: 'admin',
          })
        ).status,
        201,
      );
      const badRole = await owner.post<{ error: { code: string } }>('/api/organization/members', {
        email: uniqueEmail(),
        password: 'some password 1',
        role: 'owner',
      });
      assert.equal(badRole.status, 400);

      const agent = new Browser(h.url);
      assert.equal(
        (await agent.post('/api/auth/login', { email: agentEmail, password: 'agent password 1' })).status,
        200,
      );
      const refused = await agent.post<{ error: { code: string } }>('/api/organization/members', {
        email: uniqueEmail(),
        password: 'some password 1',
        role: 'agent',
      });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'forbidden');

      const list = await agent.get<{ members: Array<{ email: string; role: string }> }>(
        '/api/organization/members',
      );
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.members.map((m) => m.role).sort(), ['admin', 'agent', 'owner']);

      const other = new Browser(h.url);
      await signup(other, 'Org B');
      const otherList = await other.get<{ members: Array<{ email: string }> }>('/api/organization/members');
      assert.equal(otherList.body.members.length, 1, 'another organization sees only its own members');
      assert.ok(!otherList.body.members.some((m) => m.email === agentEmail));
    });

    it('CSRF: state-changing requests need JSON and a same-site origin (R25)', async () => {
      const b = new Browser(h.url);
      await signup(b);
      const body = { email: uniqueEmail(), password: 'some password 1', role: 'agent' };
      const crossOrigin = await b.post<{ error: { code: string } }>('/api/organization/members', body, {
        origin: 'https://evil.example',
      });
      assert.equal(crossOrigin.status, 403);
      assert.equal(crossOrigin.body.error.code, 'csrf_rejected');
      const crossSite = await b.post<{ error: { code: string } }>('/api/organization/members', body, {
        'sec-fetch-site': 'cross-site',
      });
      assert.equal(crossSite.status, 403);
      assert.equal(crossSite.body.error.code, 'csrf_rejected');
      const form = await b.request<{ error: { code: string } }>('POST', '/api/organization/members', {
        rawBody: 'email=a%40b.co&password=xxxxxxxxxxxx&role=agent',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(form.status, 415);
      const sameOrigin = await b.post('/api/organization/members', body, { origin: h.url });
      assert.equal(sameOrigin.status, 201);
      const members = await b.get<{ members: unknown[] }>('/api/organization/members');
      assert.equal(members.body.members.length, 2, 'only the same-origin request added a member');
    });

    it('unknown /api paths are JSON 404; health and readiness answer', async () => {
      const res = await new Browser(h.url).get<{ error: { code: string } }>('/api/nope');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'not_found');
      assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
      const ready = await fetch(`${h.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.equal(((await ready.json()) as { checks: { database: string } }).checks.database, 'ok');
    });

    it('publishes an OpenAPI document generated from the route schemas', async () => {
      const res = await fetch(`${h.url}/api/openapi.json`);
      assert.equal(res.status, 200);
      const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
      assert.match(doc.openapi, /^3\./);
      assert.ok(doc.paths['/api/auth/signup']);
      assert.ok(doc.paths['/api/organization/members']);
    });

    it('sends security headers', async () => {
      const res = await fetch(`${h.url}/api/auth/me`);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('cache-control'), 'no-store');
    });

    it('never logs passwords or session tokens (R50)', async () => {
      const b = new Browser(h.url);
      await b.post('/api/auth/signup', {
        email: uniqueEmail(),
        password: 'canary-password-123',
        organization_name: 'Leak check',
      });
      const token = [...b.cookies.values()][0]!;
      const logs = h.logs.join('');
      assert.ok(!logs.includes('canary-password-123'));
      assert.ok(!logs.includes(decodeURIComponent(token).split('.')[0]!));
    });
  });
}

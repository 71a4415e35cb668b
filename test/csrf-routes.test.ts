// Login CSRF through an encoded path (issue 11, item 1; R25, CONTRACT §3). The router matches the
// decoded path, so every spelling of a state-changing /api route that reaches a handler must meet the
// same CSRF and JSON-only checks as the plain spelling: a cross-site request gets 403 csrf_rejected, a
// non-JSON body 415, and neither sets a cookie or creates anything.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { DATABASE_KINDS } from './support/databases.ts';
import { Browser, signup, uniqueEmail } from './support/http-client.ts';

const EVIL = 'https://evil.example';
const FORM = 'application/x-www-form-urlencoded';

/** Spellings of one path: plain, percent-encoded letters, doubled slash, other case, trailing slash. */
function spellings(path: string): { path: string; routed: boolean }[] {
  const encodeFirst = (s: string, letter: string) =>
    s.replace(letter, `%${letter.charCodeAt(0).toString(16)}`);
  return [
    { path, routed: true },
    { path: path.replace('/api/', '/%61pi/'), routed: true },
    { path: path.replace('/api/', '/%61%70%69/'), routed: true },
    { path: path.replace('/api/', '/%61p%69/'), routed: true },
    { path: encodeFirst(path, path.split('/')[2]![0]!), routed: true },
    // find-my-way neither folds case nor merges slashes here: these must not reach a handler at all.
    { path: `/${path}`, routed: false },
    { path: path.replace('/api/', '/API/'), routed: false },
    { path: path.replace('/api/', '/%41PI/'), routed: false },
    { path: path.replace('/api/', '/%61%50%49/'), routed: false },
  ];
}

async function send(
  url: string,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; setCookie: string[]; text: string }> {
  const res = await fetch(url + path, { method: 'POST', headers, body, redirect: 'manual' });
  return { status: res.status, setCookie: res.headers.getSetCookie(), text: await res.text() };
}

for (const db of DATABASE_KINDS) {
  describe(`CSRF on every spelling of state-changing /api routes on ${db} (R25)`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ db });
    });
    after(() => h.close());

    for (const route of ['/api/auth/signup', '/api/auth/login']) {
      it(`${route}: a cross-site form post is refused however the path is spelled, and sets no cookie`, async () => {
        // The attacker's own account: login CSRF signs the victim into it.
        const attacker = new Browser(h.url);
        const { email: attackerEmail } = await signup(attacker, 'Attacker Org');
        for (const { path, routed } of spellings(route)) {
          const victimEmail = uniqueEmail('victim');
          const email = route.endsWith('login') ? attackerEmail : victimEmail;
          const form = new URLSearchParams({
            email,
            password: 'correct horse battery',
            organization_name: 'Forged',
          }).toString();
          const cases: Array<[string, Record<string, string>, number]> = [
            ['form + Origin evil', { 'content-type': FORM, origin: EVIL }, 403],
            [
              'form + Sec-Fetch-Site cross-site',
              { 'content-type': FORM, 'sec-fetch-site': 'cross-site' },
              403,
            ],
            ['form, no Origin', { 'content-type': FORM }, 415],
            ['text/plain JSON, no Origin', { 'content-type': 'text/plain' }, 415],
          ];
          for (const [what, headers, expected] of cases) {
            const body = headers['content-type'] === 'text/plain' ? JSON.stringify({ email }) : form;
            const res = await send(h.url, path, body, headers);
            assert.equal(res.status, routed ? expected : 404, `${path} ${what}: ${res.status} ${res.text}`);
            if (routed) {
              const code = expected === 403 ? 'csrf_rejected' : 'unsupported_media_type';
              assert.equal(JSON.parse(res.text).error.code, code, `${path} ${what}`);
            }
            assert.deepEqual(res.setCookie, [], `${path} ${what}: no cookie`);
          }
          // No account was created through any of them.
          const probe = await new Browser(h.url).post('/api/auth/login', {
            email: victimEmail,
            password: 'correct horse battery',
          });
          assert.equal(probe.status, 401, `${path}: no user created`);
        }
      });
    }

    it('every state-changing /api route in the API description refuses a cross-site or form request under an encoded path', async () => {
      const spec = (
        await new Browser(h.url).get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json')
      ).body;
      const routes = Object.entries(spec.paths).flatMap(([path, methods]) =>
        Object.keys(methods)
          .filter((m) => !['get', 'head', 'options'].includes(m))
          .map((m) => ({ method: m.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x') })),
      );
      assert.ok(routes.length >= 8, `found ${routes.length} state-changing routes`);
      // Signed in, so a missing CSRF check would show as the handler's answer, not a 401.
      const owner = new Browser(h.url);
      await signup(owner);
      const cookie = [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      for (const { method, path } of routes) {
        for (const spelled of [path.replace('/api/', '/%61pi/'), path]) {
          const cross = await fetch(h.url + spelled, {
            method,
            headers: { cookie, 'content-type': 'application/json', origin: EVIL },
            body: '{}',
          });
          assert.equal(cross.status, 403, `${method} ${spelled} cross-site`);
          const form = await fetch(h.url + spelled, {
            method,
            headers: { cookie, 'content-type': FORM },
            body: 'a=b',
          });
          assert.equal(form.status, 415, `${method} ${spelled} form body`);
          assert.deepEqual(form.headers.getSetCookie(), []);
        }
      }
    });

    it('a JSON same-origin request through an encoded path still works (the check is not a path filter)', async () => {
      const b = new Browser(h.url);
      const res = await b.post('/%61pi/auth/signup', {
        email: uniqueEmail(),
        password: 'correct horse battery',
        organization_name: 'Encoded but fine',
      });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('cache-control'), 'no-store', 'no-store by matched route');
      assert.equal((await b.get('/%61pi/auth/me')).status, 200, 'session loaded by matched route');
    });

    it("Meta's signed_request callbacks still take form bodies (parsed in their own scope only)", async () => {
      const res = await send(h.url, '/integrations/meta-messaging/deauthorize', 'signed_request=bogus.sig', {
        'content-type': FORM,
      });
      assert.equal(res.status, 400);
      assert.equal(JSON.parse(res.text).error.code, 'invalid_signed_request');
    });
  });
}

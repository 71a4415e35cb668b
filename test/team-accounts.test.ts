// Issue 14 / CONTRACT §3 team and account routes over real HTTP, on SQLite and on PostgreSQL:
// invitations, roles and removal (last owner, admin limits), display names, passwords and reset links,
// two-factor sign-in and the sessions list. R23: every lookup is scoped to the caller's organization
// (another organization's member or invitation is 404). R25: these are state-changing JSON routes and
// go through the same CSRF hook (covered by csrf-routes.test.ts for every /api route).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TOTP } from 'otpauth';
import { type Harness, startHarness } from './support/app-harness.ts';
import { DATABASE_KINDS } from './support/databases.ts';
import { Browser, signup, uniqueEmail } from './support/http-client.ts';
import { SseStream } from './support/sse-client.ts';

const PASSWORD = 'correct horse battery';
type Err = { error: { code: string; message: string } };

for (const db of DATABASE_KINDS) {
  describe(`teams and accounts on ${db}`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ db });
    });
    after(() => h.close());

    async function invite(owner: Browser, role: 'admin' | 'agent' = 'agent', email = uniqueEmail('invitee')) {
      const res = await owner.post<{ invitation: { id: string; url: string; expires_at: string } }>(
        '/api/organization/invitations',
        { email, role },
      );
      assert.equal(res.status, 201, res.text);
      const token = res.body.invitation.url.split('/invite/')[1]!;
      return { email, token, ...res.body.invitation };
    }

    async function join(owner: Browser, role: 'admin' | 'agent' = 'agent') {
      const inv = await invite(owner, role);
      const b = new Browser(h.url);
      const res = await b.post<{ user: { id: string } }>(`/api/invitations/${inv.token}/accept`, {
        name: 'Grace Hopper',
        password: PASSWORD,
      });
      assert.equal(res.status, 201, res.text);
      return { browser: b, userId: res.body.user.id, email: inv.email };
    }

    it('an invitation is a 7-day single-use link; only its hash is stored; accepting signs in', async () => {
      const owner = new Browser(h.url);
      const o = await signup(owner, 'Invite Co');
      const email = uniqueEmail('grace');
      const inv = await invite(owner, 'admin', email);
      assert.match(inv.url, new RegExp(`^${h.url}/invite/[A-Za-z0-9_-]{43}$`));
      assert.equal(Date.parse(inv.expires_at) - h.clock.now(), 7 * 24 * 3600_000);
      const stored = await h.testDb.database.db
        .selectFrom('invitations')
        .selectAll()
        .where('id', '=', inv.id)
        .execute();
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0]!.token_hash, inv.token, 'only a hash of the token is stored');

      const list = await owner.get<{ invitations: Array<Record<string, unknown>> }>(
        '/api/organization/invitations',
      );
      assert.deepEqual(list.body.invitations, [
        { id: inv.id, email, role: 'admin', expires_at: inv.expires_at },
      ]);

      const anon = new Browser(h.url);
      const preview = await anon.get(`/api/invitations/${inv.token}`);
      assert.equal(preview.status, 200);
      assert.deepEqual(preview.body, { organization: { name: 'Invite Co' }, email, role: 'admin' });

      const weak = await anon.post<Err>(`/api/invitations/${inv.token}/accept`, {
        name: 'G',
        password: 'qwertyuiop',
      });
      assert.equal(weak.status, 400);
      assert.equal(weak.body.error.code, 'weak_password');
      const accepted = await anon.post<{
        user: { email: string; name: string };
        organization: { id: string };
        role: string;
      }>(`/api/invitations/${inv.token}/accept`, { name: 'Grace Hopper', password: PASSWORD });
      assert.equal(accepted.status, 201);
      assert.equal(accepted.body.user.name, 'Grace Hopper');
      assert.equal(accepted.body.organization.id, o.orgId);
      assert.equal(accepted.body.role, 'admin');
      assert.equal((await anon.get('/api/auth/me')).status, 200);

      const again = await new Browser(h.url).post<Err>(`/api/invitations/${inv.token}/accept`, {
        name: 'Mallory',
        password: PASSWORD,
      });
      assert.equal(again.status, 404);
      assert.equal(again.body.error.code, 'invitation_not_found');
      assert.equal((await anon.get<Err>(`/api/invitations/${inv.token}`)).status, 404);
      const after = await owner.get<{ invitations: unknown[] }>('/api/organization/invitations');
      assert.equal(after.body.invitations.length, 0, 'accepted invitations are no longer pending');
      const members = await owner.get<{ members: Array<{ email: string; name: string | null }> }>(
        '/api/organization/members',
      );
      assert.deepEqual(
        members.body.members.map((m) => m.name).sort(),
        ['Grace Hopper', null],
        'members entries carry the display name',
      );
    });

    it('inviting an existing member is 409 already_member; agents cannot invite', async () => {
      const owner = new Browser(h.url);
      const o = await signup(owner);
      const res = await owner.post<Err>('/api/organization/invitations', { email: o.email, role: 'agent' });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'already_member');
      const agent = await join(owner, 'agent');
      const denied = await agent.browser.post<Err>('/api/organization/invitations', {
        email: uniqueEmail(),
        role: 'agent',
      });
      assert.equal(denied.status, 403);
      const bad = await owner.post<Err>('/api/organization/invitations', { email: 'nope', role: 'owner' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'invalid_request');
    });

    it('a revoked or expired invitation stops working (404 invitation_not_found)', async () => {
      const owner = new Browser(h.url);
      await signup(owner);
      const revoked = await invite(owner);
      assert.equal(
        (await owner.request('DELETE', `/api/organization/invitations/${revoked.id}`)).status,
        204,
      );
      assert.equal(
        (await owner.request('DELETE', `/api/organization/invitations/${revoked.id}`)).status,
        404,
      );
      const r1 = await new Browser(h.url).post<Err>(`/api/invitations/${revoked.token}/accept`, {
        name: 'X',
        password: PASSWORD,
      });
      assert.equal(r1.status, 404);
      const expiring = await invite(owner);
      h.clock.advance(7 * 24 * 3600_000 + 1);
      const r2 = await new Browser(h.url).get<Err>(`/api/invitations/${expiring.token}`);
      assert.equal(r2.status, 404);
      assert.equal(r2.body.error.code, 'invitation_not_found');
      assert.equal((await new Browser(h.url).get('/api/invitations/not-a-token')).status, 404);
    });

    it('R23: another organization cannot revoke or see the invitation, nor manage the member', async () => {
      const a = new Browser(h.url);
      await signup(a);
      const inv = await invite(a);
      const member = await join(a);
      const b = new Browser(h.url);
      await signup(b);
      assert.equal((await b.request('DELETE', `/api/organization/invitations/${inv.id}`)).status, 404);
      assert.equal((await b.request('DELETE', `/api/organization/members/${member.userId}`)).status, 404);
      assert.equal(
        (await b.request('PATCH', `/api/organization/members/${member.userId}`, { json: { role: 'admin' } }))
          .status,
        404,
      );
      assert.equal((await b.post(`/api/organization/members/${member.userId}/password-reset`)).status, 404);
    });

    it('accepting one invitation twice in parallel creates one member', async () => {
      const owner = new Browser(h.url);
      const o = await signup(owner);
      const inv = await invite(owner);
      const results = await Promise.all(
        [0, 1, 2].map(() =>
          new Browser(h.url).post(`/api/invitations/${inv.token}/accept`, {
            name: 'Twin',
            password: PASSWORD,
          }),
        ),
      );
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 404, 404]);
      const rows = await h.testDb.database.db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select('users.email')
        .where('memberships.org_id', '=', o.orgId)
        .where('users.email', '=', inv.email)
        .execute();
      assert.equal(rows.length, 1);
    });

    it('roles: owners change roles; admins cannot promote to owner or touch an owner; last owner is 409', async () => {
      const owner = new Browser(h.url);
      const o = await signup(owner);
      const admin = await join(owner, 'admin');
      const agent = await join(owner, 'agent');

      const demoteSelf = await owner.request<Err>('PATCH', `/api/organization/members/${o.userId}`, {
        json: { role: 'admin' },
      });
      assert.equal(demoteSelf.status, 409);
      assert.equal(demoteSelf.body.error.code, 'last_owner');
      const removeSelf = await owner.request<Err>('DELETE', `/api/organization/members/${o.userId}`);
      assert.equal(removeSelf.status, 409);
      assert.equal(removeSelf.body.error.code, 'last_owner');

      const promote = await admin.browser.request<Err>('PATCH', `/api/organization/members/${agent.userId}`, {
        json: { role: 'owner' },
      });
      assert.equal(promote.status, 403);
      const touchOwner = await admin.browser.request('PATCH', `/api/organization/members/${o.userId}`, {
        json: { role: 'agent' },
      });
      assert.equal(touchOwner.status, 403);
      assert.equal(
        (await admin.browser.request('DELETE', `/api/organization/members/${o.userId}`)).status,
        403,
      );
      assert.equal(
        (await admin.browser.post(`/api/organization/members/${o.userId}/password-reset`)).status,
        403,
      );
      assert.equal(
        (
          await agent.browser.request('PATCH', `/api/organization/members/${admin.userId}`, {
            json: { role: 'agent' },
          })
        ).status,
        403,
      );

      const toAdmin = await admin.browser.request<{ member: { role: string; name: string } }>(
        'PATCH',
        `/api/organization/members/${agent.userId}`,
        { json: { role: 'admin' } },
      );
      assert.equal(toAdmin.status, 200);
      assert.equal(toAdmin.body.member.role, 'admin');
      assert.equal(toAdmin.body.member.name, 'Grace Hopper');
      // The role applies at once to the member's existing session (R9).
      assert.equal((await agent.browser.get<{ role: string }>('/api/auth/me')).body.role, 'admin');

      // With a second owner, the first may step down; then the second is the last.
      const second = await owner.request('PATCH', `/api/organization/members/${admin.userId}`, {
        json: { role: 'owner' },
      });
      assert.equal(second.status, 200);
      assert.equal(
        (await owner.request('PATCH', `/api/organization/members/${o.userId}`, { json: { role: 'agent' } }))
          .status,
        200,
      );
      const last = await admin.browser.request<Err>('DELETE', `/api/organization/members/${admin.userId}`);
      assert.equal(last.body.error.code, 'last_owner');
    });

    it('two owners demoting each other at once leave one owner', async () => {
      const a = new Browser(h.url);
      const o = await signup(a);
      const b = await join(a, 'admin');
      await a.request('PATCH', `/api/organization/members/${b.userId}`, { json: { role: 'owner' } });
      const [r1, r2] = await Promise.all([
        a.request('PATCH', `/api/organization/members/${b.userId}`, { json: { role: 'agent' } }),
        b.browser.request('PATCH', `/api/organization/members/${o.userId}`, { json: { role: 'agent' } }),
      ]);
      const statuses = [r1.status, r2.status].sort();
      assert.ok(statuses.includes(200), JSON.stringify(statuses));
      const owners = await h.testDb.database.db
        .selectFrom('memberships')
        .select('user_id')
        .where('org_id', '=', o.orgId)
        .where('role', '=', 'owner')
        .execute();
      assert.equal(owners.length, 1);
    });

    it('removing a member ends their sessions and live streams at once; they can be invited again', async () => {
      const owner = new Browser(h.url);
      await signup(owner);
      const agent = await join(owner);
      const cookie = [...agent.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const stream = await SseStream.open(`${h.url}/api/events`, { cookie, accept: 'text/event-stream' });
      assert.equal(stream.status, 200);
      assert.equal((await owner.request('DELETE', `/api/organization/members/${agent.userId}`)).status, 204);
      await Promise.race([
        stream.over,
        new Promise((_, reject) => setTimeout(() => reject(new Error('stream still open')), 3000)),
      ]);
      assert.ok(stream.endedByServer);
      assert.equal(stream.events.at(-1)?.event, 'session.ended', 'the last message tells the app to check');
      assert.equal((await agent.browser.get('/api/auth/me')).status, 401);
      const login = await new Browser(h.url).post('/api/auth/login', {
        email: agent.email,
        password: PASSWORD,
      });
      assert.equal(login.status, 401, 'a removed member cannot sign in');
      const members = await owner.get<{ members: Array<{ user_id: string }> }>('/api/organization/members');
      assert.ok(!members.body.members.some((m) => m.user_id === agent.userId));
      const back = await invite(owner, 'agent', agent.email);
      const rejoined = await new Browser(h.url).post<{ user: { id: string } }>(
        `/api/invitations/${back.token}/accept`,
        {
          name: 'Grace Again',
          password: 'a new long passphrase',
        },
      );
      assert.equal(rejoined.status, 201);
      assert.equal(
        rejoined.body.user.id,
        agent.userId,
        'the same user row, so old replies keep their author',
      );
    });

    it('PATCH /api/auth/me sets the display name (1-80 characters)', async () => {
      const b = new Browser(h.url);
      await signup(b);
      const res = await b.request<{ user: { name: string } }>('PATCH', '/api/auth/me', {
        json: { name: '  Ada L. ' },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.name, 'Ada L.');
      assert.equal((await b.get<{ user: { name: string } }>('/api/auth/me')).body.user.name, 'Ada L.');
      for (const name of ['', '   ', 'x'.repeat(81)]) {
        const bad = await b.request<Err>('PATCH', '/api/auth/me', { json: { name } });
        assert.equal(bad.status, 400, name);
        assert.match(bad.body.error.message, /^name: /);
      }
    });

    it('password change needs the current one, refuses weak ones and ends every other session', async () => {
      const a = new Browser(h.url);
      const o = await signup(a);
      const other = new Browser(h.url);
      await other.post('/api/auth/login', { email: o.email, password: PASSWORD });
      const wrong = await a.post<Err>('/api/auth/password', {
        current_password: 'nope nope nope',
        new_password: 'another long one',
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 'invalid_credentials');
      const common = await a.post<Err>('/api/auth/password', {
        current_password: PASSWORD,
        new_password: 'Password123',
      });
      assert.equal(common.status, 400);
      assert.equal(common.body.error.code, 'weak_password');
      const short = await a.post<Err>('/api/auth/password', {
        current_password: PASSWORD,
        new_password: 'short',
      });
      assert.equal(short.status, 400);
      assert.equal(
        (await a.post('/api/auth/password', { current_password: PASSWORD, new_password: 'another long one' }))
          .status,
        204,
      );
      assert.equal((await a.get('/api/auth/me')).status, 200, 'this session stays');
      assert.equal((await other.get('/api/auth/me')).status, 401, 'the other session ended');
      assert.equal(
        (await new Browser(h.url).post('/api/auth/login', { email: o.email, password: 'another long one' }))
          .status,
        200,
      );
    });

    it('an admin-issued reset link works once, for one hour, and ends every session', async () => {
      const owner = new Browser(h.url);
      await signup(owner);
      const agent = await join(owner);
      const issued = await owner.post<{ url: string; expires_at: string; emailed: boolean }>(
        `/api/organization/members/${agent.userId}/password-reset`,
      );
      assert.equal(issued.status, 201);
      assert.match(issued.body.url, new RegExp(`^${h.url}/reset-password/[A-Za-z0-9_-]{43}$`));
      assert.equal(Date.parse(issued.body.expires_at) - h.clock.now(), 3600_000);
      assert.equal(issued.body.emailed, false, 'no SMTP_URL: nothing is mailed');
      const token = issued.body.url.split('/reset-password/')[1]!;
      const anon = new Browser(h.url);
      const weak = await anon.post<Err>('/api/auth/password-reset', { token, new_password: '1234567890' });
      assert.equal(weak.body.error.code, 'weak_password');
      assert.equal(
        (await anon.post('/api/auth/password-reset', { token, new_password: 'brand new secret' })).status,
        204,
      );
      assert.equal((await agent.browser.get('/api/auth/me')).status, 401, 'their sessions ended');
      const reused = await anon.post<Err>('/api/auth/password-reset', {
        token,
        new_password: 'brand new secret 2',
      });
      assert.equal(reused.status, 404);
      assert.equal(reused.body.error.code, 'reset_link_invalid');
      assert.equal(
        (await anon.post('/api/auth/login', { email: agent.email, password: 'brand new secret' })).status,
        200,
      );

      const late = await owner.post<{ url: string }>(
        `/api/organization/members/${agent.userId}/password-reset`,
      );
      h.clock.advance(3600_000 + 1);
      const expired = await anon.post<Err>('/api/auth/password-reset', {
        token: late.body.url.split('/reset-password/')[1],
        new_password: 'too late for this',
      });
      assert.equal(expired.status, 404);
    });

    it('Forgot password without SMTP_URL says mail is not set up (503), whatever the email', async () => {
      const b = new Browser(h.url);
      const known = await signup(b);
      for (const email of [known.email, uniqueEmail('nobody')]) {
        const res = await new Browser(h.url).post<Err>('/api/auth/password-reset/request', { email });
        assert.equal(res.status, 503);
        assert.equal(res.body.error.code, 'mail_not_configured');
      }
    });

    it('two-factor: set up with a QR/key, confirm, 10 recovery codes once, login needs a code', async () => {
      const b = new Browser(h.url);
      const o = await signup(b);
      const setup = await b.post<{ secret: string; otpauth_url: string; qr_code: string }>(
        '/api/auth/two-factor/setup',
      );
      assert.equal(setup.status, 200);
      assert.match(setup.body.otpauth_url, /^otpauth:\/\/totp\/Parley:/);
      assert.match(setup.body.qr_code, /^data:image\/svg\+xml;base64,/);
      const totp = new TOTP({ secret: setup.body.secret });
      const code = (offsetMs = 0) => totp.generate({ timestamp: h.clock.now() + offsetMs });

      const wrong = await b.post<Err>('/api/auth/two-factor/enable', {
        code: '000000' === code() ? '111111' : '000000',
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, 'invalid_code');
      const enabled = await b.post<{ recovery_codes: string[] }>('/api/auth/two-factor/enable', {
        code: code(),
      });
      assert.equal(enabled.status, 200);
      assert.equal(enabled.body.recovery_codes.length, 10);
      assert.equal(new Set(enabled.body.recovery_codes).size, 10);
      const row = await h.testDb.database.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', o.userId)
        .executeTakeFirstOrThrow();
      assert.ok(row.totp_secret_sealed?.startsWith('v1.'), 'R14: the secret is sealed');
      assert.ok(!row.totp_secret_sealed!.includes(setup.body.secret));
      assert.equal(
        (await b.get<{ user: { two_factor_enabled: boolean } }>('/api/auth/me')).body.user.two_factor_enabled,
        true,
      );

      const c = new Browser(h.url);
      const first = await c.post<{ two_factor_required: boolean; challenge: string }>('/api/auth/login', {
        email: o.email,
        password: PASSWORD,
      });
      assert.equal(first.status, 200);
      assert.equal(first.body.two_factor_required, true);
      assert.equal(c.cookies.size, 0, 'no session before the code');
      const replay = await c.post<Err>('/api/auth/login/two-factor', {
        challenge: first.body.challenge,
        code: code(),
      });
      assert.equal(replay.status, 401, 'the code used to turn it on cannot be used again');
      h.clock.advance(30_000);
      const ok = await c.post<{ user: { email: string } }>('/api/auth/login/two-factor', {
        challenge: first.body.challenge,
        code: code(),
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.user.email, o.email);
      assert.equal((await c.get('/api/auth/me')).status, 200);
      const spent = await c.post<Err>('/api/auth/login/two-factor', {
        challenge: first.body.challenge,
        code: code(),
      });
      assert.equal(spent.body.error.code, 'challenge_expired');

      // A recovery code works once.
      const d = new Browser(h.url);
      const again = await d.post<{ challenge: string }>('/api/auth/login', {
        email: o.email,
        password: PASSWORD,
      });
      const recovery = enabled.body.recovery_codes[0]!;
      assert.equal(
        (await d.post('/api/auth/login/two-factor', { challenge: again.body.challenge, code: recovery }))
          .status,
        200,
      );
      const e = new Browser(h.url);
      const third = await e.post<{ challenge: string }>('/api/auth/login', {
        email: o.email,
        password: PASSWORD,
      });
      assert.equal(
        (await e.post('/api/auth/login/two-factor', { challenge: third.body.challenge, code: recovery }))
          .status,
        401,
      );

      // Turning it off needs the password.
      assert.equal(
        (await b.post('/api/auth/two-factor/disable', { password: 'wrong password!' })).status,
        401,
      );
      assert.equal((await b.post('/api/auth/two-factor/disable', { password: PASSWORD })).status, 204);
      const plain = await new Browser(h.url).post<{ user: unknown }>('/api/auth/login', {
        email: o.email,
        password: PASSWORD,
      });
      assert.ok(plain.body.user, 'without two-factor the password alone signs in');
    });

    it('a challenge allows 5 wrong codes, then the password must be entered again', async () => {
      const b = new Browser(h.url);
      const o = await signup(b);
      const setup = await b.post<{ secret: string }>('/api/auth/two-factor/setup');
      const totp = new TOTP({ secret: setup.body.secret });
      await b.post('/api/auth/two-factor/enable', { code: totp.generate({ timestamp: h.clock.now() }) });
      h.clock.advance(60_000);
      const c = new Browser(h.url);
      const first = await c.post<{ challenge: string }>('/api/auth/login', {
        email: o.email,
        password: PASSWORD,
      });
      const right = totp.generate({ timestamp: h.clock.now() });
      const wrongCode = right === '123456' ? '654321' : '123456';
      for (let i = 0; i < 5; i++) {
        const r = await c.post<Err>('/api/auth/login/two-factor', {
          challenge: first.body.challenge,
          code: wrongCode,
        });
        assert.equal(r.body.error.code, 'invalid_code');
      }
      const late = await c.post<Err>('/api/auth/login/two-factor', {
        challenge: first.body.challenge,
        code: right,
      });
      assert.equal(late.body.error.code, 'challenge_expired');
    });

    it('owners can require two-factor for the organization; admins cannot', async () => {
      const owner = new Browser(h.url);
      await signup(owner);
      const admin = await join(owner, 'admin');
      assert.equal(
        (await admin.browser.request('PATCH', '/api/organization', { json: { require_two_factor: true } }))
          .status,
        403,
      );
      const first = await owner.request<Err>('PATCH', '/api/organization', {
        json: { require_two_factor: true },
      });
      assert.equal(first.status, 409, 'the owner turns it on for themselves first');
      const setup = await owner.post<{ secret: string }>('/api/auth/two-factor/setup');
      await owner.post('/api/auth/two-factor/enable', {
        code: new TOTP({ secret: setup.body.secret }).generate({ timestamp: h.clock.now() }),
      });
      const on = await owner.request<{ organization: { require_two_factor: boolean } }>(
        'PATCH',
        '/api/organization',
        {
          json: { require_two_factor: true },
        },
      );
      assert.equal(on.status, 200);
      assert.equal(on.body.organization.require_two_factor, true);
      const me = await admin.browser.get<{ organization: { require_two_factor: boolean } }>('/api/auth/me');
      assert.equal(me.body.organization.require_two_factor, true);
      assert.equal((await owner.post('/api/auth/two-factor/disable', { password: PASSWORD })).status, 403);
    });

    it('with two-factor required, a member without it reaches only /me and the setup until it is on', async () => {
      const owner = new Browser(h.url);
      await signup(owner);
      const agent = await join(owner);
      const cookie = [...agent.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const stream = await SseStream.open(`${h.url}/api/events`, { cookie, accept: 'text/event-stream' });
      assert.equal(stream.status, 200);
      const ownerSetup = await owner.post<{ secret: string }>('/api/auth/two-factor/setup');
      await owner.post('/api/auth/two-factor/enable', {
        code: new TOTP({ secret: ownerSetup.body.secret }).generate({ timestamp: h.clock.now() }),
      });
      const on = await owner.request('PATCH', '/api/organization', { json: { require_two_factor: true } });
      assert.equal(on.status, 200);
      // Their open stream ends at once, telling the app to ask /me again.
      await Promise.race([
        stream.over,
        new Promise((_, reject) => setTimeout(() => reject(new Error('stream still open')), 3000)),
      ]);
      assert.equal(stream.events.at(-1)?.event, 'session.ended');

      const me = await agent.browser.get<{
        user: { two_factor_enabled: boolean };
        organization: { require_two_factor: boolean };
      }>('/api/auth/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.organization.require_two_factor, true);
      assert.equal(me.body.user.two_factor_enabled, false);
      const refused = [
        await agent.browser.get<Err>('/api/conversations'),
        await agent.browser.get<Err>('/api/organization/members'),
        await agent.browser.get<Err>('/api/auth/sessions'),
        await agent.browser.request<Err>('PATCH', '/api/auth/me', { json: { name: 'Sneaky' } }),
        await agent.browser.post<Err>('/api/auth/password', {
          current_password: PASSWORD,
          new_password: 'another long passphrase',
        }),
        await agent.browser.get<Err>('/api/events'),
      ];
      for (const res of refused) {
        assert.equal(res.status, 403, res.text);
        assert.equal(res.body.error.code, 'two_factor_required');
      }
      // Owners keep working; signing out and in again still works (and lands in the same gate).
      assert.equal((await owner.get('/api/organization/members')).status, 200);
      const again = new Browser(h.url);
      const login = await again.post('/api/auth/login', { email: agent.email, password: PASSWORD });
      assert.equal(login.status, 200);
      assert.equal((await again.get<Err>('/api/conversations')).body.error.code, 'two_factor_required');

      const setup = await agent.browser.post<{ secret: string }>('/api/auth/two-factor/setup');
      assert.equal(setup.status, 200, setup.text);
      const enabled = await agent.browser.post<{ recovery_codes: string[] }>('/api/auth/two-factor/enable', {
        code: new TOTP({ secret: setup.body.secret }).generate({ timestamp: h.clock.now() }),
      });
      assert.equal(enabled.status, 200, enabled.text);
      assert.equal(enabled.body.recovery_codes.length, 10);
      assert.equal((await agent.browser.get('/api/conversations')).status, 200);
      assert.equal((await agent.browser.get('/api/organization/members')).status, 200);
      assert.equal((await again.get('/api/conversations')).status, 200, 'every session of theirs is free');
    });

    it('sessions list shows device, address and last seen, and signs any of them out', async () => {
      const a = new Browser(h.url);
      const o = await signup(a);
      const phone = new Browser(h.url);
      await phone.post(
        '/api/auth/login',
        { email: o.email, password: PASSWORD },
        {
          'user-agent':
            'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1',
        },
      );
      const list = await a.get<{
        sessions: Array<{
          id: string;
          device: string;
          address: string;
          current: boolean;
          last_seen_at: string;
        }>;
      }>('/api/auth/sessions');
      assert.equal(list.status, 200);
      assert.equal(list.body.sessions.length, 2);
      const mobile = list.body.sessions.find((s) => !s.current)!;
      assert.equal(mobile.device, 'Safari on iOS');
      assert.equal(mobile.address, '127.0.0.1');
      assert.ok(Date.parse(mobile.last_seen_at) > 0);
      assert.equal((await a.request('DELETE', `/api/auth/sessions/${mobile.id}`)).status, 204);
      assert.equal((await phone.get('/api/auth/me')).status, 401);
      assert.equal((await a.request('DELETE', `/api/auth/sessions/${mobile.id}`)).status, 404);
      const stranger = new Browser(h.url);
      await signup(stranger);
      const mine = list.body.sessions.find((s) => s.current)!;
      assert.equal(
        (await stranger.request('DELETE', `/api/auth/sessions/${mine.id}`)).status,
        404,
        'only your own',
      );
    });
  });
}

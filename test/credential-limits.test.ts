// Limits on credential attempts (issue 11, item 2; CONTRACT §2 TRUST_PROXY and §3 limits): 20 attempts
// a minute per client address across login and signup (checked before any hashing), 10 failed logins
// per 15 minutes per (address, account), 429 rate_limited with Retry-After beyond either; the client
// address is X-Forwarded-For only from a TRUST_PROXY peer; with Redis, instances share the counters.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ATTEMPT_LIMITS } from '../src/accounts/credential-attempts.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { DATABASE_KINDS } from './support/databases.ts';
import { Browser, signup, uniqueEmail } from './support/http-client.ts';

const PASSWORD = 'correct horse battery';
const from = (address: string) => ({ 'x-forwarded-for': address });

async function login(h: Harness, email: string, password: string, address?: string) {
  return new Browser(h.url).post<{ error?: { code: string } }>(
    '/api/auth/login',
    { email, password },
    address ? from(address) : {},
  );
}

function assertLimited(res: { status: number; headers: Headers; body: unknown }, what: string) {
  assert.equal(res.status, 429, what);
  assert.equal((res.body as { error: { code: string } }).error.code, 'rate_limited', what);
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `${what}: Retry-After ${retryAfter}`);
  // The login form shows the message as it is: it must say when to try again.
  const message = (res.body as { error: { message: string } }).error.message;
  assert.match(message, /^Too many attempts; try again in \d+ (second|minute)s?$/, what);
}

for (const db of DATABASE_KINDS) {
  describe(`credential-attempt limits on ${db}`, () => {
    let h: Harness;
    let victim: string;
    before(async () => {
      h = await startHarness({
        db,
        env: { TRUST_PROXY: '127.0.0.1' },
        attemptLimits: DEFAULT_ATTEMPT_LIMITS,
      });
      victim = (await signup(new Browser(h.url), 'Victim Org')).email;
    });
    after(() => h.close());

    it('the 11th wrong password from address A gets 429; the right password from B is not refused (R42-style, CONTRACT §3)', async () => {
      const a = '198.51.100.10';
      for (let i = 1; i <= 10; i++) {
        assert.equal((await login(h, victim, `wrong password ${i}`, a)).status, 401, `failure ${i}`);
      }
      assertLimited(await login(h, victim, 'wrong password 11', a), '11th from A');
      assertLimited(await login(h, victim, PASSWORD, a), 'A stays locked for this account, even when right');
      const b = await login(h, victim, PASSWORD, '198.51.100.20');
      assert.equal(b.status, 200, "B is not refused because of A's failures");
      assert.match(b.headers.getSetCookie().join('\n'), /parley_session=/);
      // A's lock is per account: another account from A still gets an answer.
      assert.equal((await login(h, uniqueEmail(), 'whatever password', a)).status, 401);
    });

    it('spraying: 21 attempts with different emails from one address → the 21st is 429, before any hashing', async () => {
      const address = '203.0.113.50';
      // The budget is shared by signup and login.
      for (let i = 0; i < 10; i++) {
        const res = await new Browser(h.url).post(
          '/api/auth/signup',
          { email: uniqueEmail('spray'), password: PASSWORD, organization_name: 'Spray' },
          from(address),
        );
        assert.equal(res.status, 201, `signup ${i}`);
      }
      for (let i = 0; i < 10; i++) {
        assert.equal((await login(h, uniqueEmail('spray'), PASSWORD, address)).status, 401, `login ${i}`);
      }
      const hashesBefore = h.features.hasher.computed;
      const refused = await login(h, uniqueEmail('spray'), PASSWORD, address);
      assertLimited(refused, '21st attempt');
      const signupRefused = await new Browser(h.url).post(
        '/api/auth/signup',
        { email: uniqueEmail('spray'), password: PASSWORD, organization_name: 'Spray' },
        from(address),
      );
      assertLimited(signupRefused, 'signup over the shared budget');
      assert.equal(h.features.hasher.computed, hashesBefore, 'no scrypt ran for refused attempts');
      // Another address still has its whole budget.
      assert.equal((await login(h, victim, PASSWORD, '203.0.113.51')).status, 200);
    });

    it('the budget window passes: after a minute the address may try again', async () => {
      const address = '203.0.113.60';
      for (let i = 0; i < 20; i++) await login(h, uniqueEmail('w'), PASSWORD, address);
      assertLimited(await login(h, uniqueEmail('w'), PASSWORD, address), 'over budget');
      h.clock.advance(61_000);
      assert.equal((await login(h, uniqueEmail('w'), PASSWORD, address)).status, 401);
    });
  });
}

describe('TRUST_PROXY decides whether X-Forwarded-For counts (CONTRACT §2)', () => {
  const limits = { perAddress: { max: 3, windowMs: 60_000 }, failedLogins: { max: 100, windowMs: 60_000 } };

  it('with TRUST_PROXY naming the peer, each forwarded address has its own budget', async () => {
    const h = await startHarness({ db: 'sqlite', env: { TRUST_PROXY: '127.0.0.1' }, attemptLimits: limits });
    try {
      for (let i = 0; i < 3; i++)
        assert.equal((await login(h, uniqueEmail(), 'x'.repeat(10), '192.0.2.1')).status, 401);
      assertLimited(await login(h, uniqueEmail(), 'x'.repeat(10), '192.0.2.1'), '4th from 192.0.2.1');
      assert.equal((await login(h, uniqueEmail(), 'x'.repeat(10), '192.0.2.2')).status, 401, 'own budget');
    } finally {
      await h.close();
    }
  });

  it('with TRUST_PROXY=1 (one hop), the address the proxy appended counts, not what the client wrote', async () => {
    const h = await startHarness({ db: 'sqlite', env: { TRUST_PROXY: '1' }, attemptLimits: limits });
    try {
      for (let i = 0; i < 3; i++) await login(h, uniqueEmail(), 'x'.repeat(10), `10.9.9.${i}, 192.0.2.7`);
      assertLimited(
        await login(h, uniqueEmail(), 'x'.repeat(10), '10.9.9.9, 192.0.2.7'),
        'spoofed left part ignored',
      );
    } finally {
      await h.close();
    }
  });

  it('unset, X-Forwarded-For is ignored: changing it does not buy a new budget', async () => {
    const h = await startHarness({ db: 'sqlite', attemptLimits: limits });
    try {
      for (let i = 0; i < 3; i++)
        assert.equal((await login(h, uniqueEmail(), 'x'.repeat(10), `192.0.2.${i}`)).status, 401);
      assertLimited(await login(h, uniqueEmail(), 'x'.repeat(10), '192.0.2.99'), 'forged header ignored');
    } finally {
      await h.close();
    }
  });
});

describe('limits are shared across instances through Redis', () => {
  it('failures on instance A lock the pair on instance B too', async () => {
    const prefix = `parley-test-${randomBytes(4).toString('hex')}:`;
    const common = {
      db: 'postgres' as const,
      redis: true,
      cachePrefix: prefix,
      env: { TRUST_PROXY: '127.0.0.1' },
      attemptLimits: DEFAULT_ATTEMPT_LIMITS,
    };
    const a = await startHarness(common);
    const b = await startHarness({ ...common, sharedDb: a.testDb });
    try {
      const email = uniqueEmail();
      for (let i = 0; i < 10; i++) {
        const on = i % 2 === 0 ? a : b;
        assert.equal((await login(on, email, `wrong ${i}`, '198.51.100.99')).status, 401);
      }
      assertLimited(await login(b, email, 'wrong 11', '198.51.100.99'), 'B knows of A');
      assertLimited(await login(a, email, 'wrong 12', '198.51.100.99'), 'and A of B');
    } finally {
      await b.close();
      await a.close();
    }
  });
});

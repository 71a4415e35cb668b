// One contract suite for the Cache interface, run against memory and real Redis.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { Cache } from '../src/cache/cache.ts';
import { MemoryCache } from '../src/cache/memory-cache.ts';
import { RedisCache } from '../src/cache/redis-cache.ts';
import { REDIS_URL } from './support/databases.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const implementations: Array<[string, () => Cache]> = [
  ['memory', () => new MemoryCache()],
  ['redis', () => RedisCache.connect(REDIS_URL, `parley-test-${randomBytes(4).toString('hex')}:`)],
];

for (const [name, make] of implementations) {
  describe(`Cache contract: ${name}`, () => {
    const cache = make();
    after(() => cache.close());

    it('sets, gets and deletes', async () => {
      assert.equal(await cache.get('a'), null);
      await cache.set('a', 'one', 10_000);
      assert.equal(await cache.get('a'), 'one');
      await cache.delete('a');
      assert.equal(await cache.get('a'), null);
    });

    it('expires values after their TTL', async () => {
      // Generous margins: CI runs several suites at once on two cores.
      await cache.set('short', 'v', 400);
      assert.equal(await cache.get('short'), 'v');
      await sleep(900);
      assert.equal(await cache.get('short'), null);
    });

    it('getAndDelete hands a value to exactly one of many concurrent callers', async () => {
      await cache.set('once', 'prize', 10_000);
      const results = await Promise.all(Array.from({ length: 20 }, () => cache.getAndDelete('once')));
      assert.deepEqual(
        results.filter((r) => r !== null),
        ['prize'],
      );
      assert.equal(await cache.get('once'), null);
    });

    it('setIfAbsent claims a key once', async () => {
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => cache.setIfAbsent('lock', String(i), 10_000)),
      );
      assert.equal(claims.filter(Boolean).length, 1);
      assert.notEqual(await cache.get('lock'), null);
    });

    it('increment counts atomically across concurrent callers within one fixed window', async () => {
      const results = await Promise.all(Array.from({ length: 25 }, () => cache.increment('hits', 10_000)));
      assert.deepEqual(
        results.map((r) => r.count).sort((x, y) => x - y),
        Array.from({ length: 25 }, (_, i) => i + 1),
      );
      for (const r of results) assert.ok(r.ttlMs > 0 && r.ttlMs <= 10_000, `ttl ${r.ttlMs}`);
    });

    it('increment starts a new window once the old one expired, and later hits do not extend it', async () => {
      // A 3 s window with 300 ms between the hits: a loaded CI host once let a 200 ms sleep outlast a
      // 400 ms window. At least 300 ms of the window have gone by at the second hit, so its TTL is at
      // most 2,700 ms unless the hit extended the window.
      assert.equal((await cache.increment('win', 3_000)).count, 1);
      await sleep(300);
      const second = await cache.increment('win', 3_000);
      assert.equal(second.count, 2);
      assert.ok(second.ttlMs <= 2_700, `window not extended: ${second.ttlMs}`);
      await sleep(second.ttlMs + 150);
      assert.equal((await cache.increment('win', 3_000)).count, 1);
    });

    it('expiring-member sets: concurrent adds all stay; each member leaves at its own time', async () => {
      const now = Date.now();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => cache.addMember('room', `m${i}`, now + 60_000, 60_000)),
      );
      assert.equal((await cache.liveMembers('room', now)).length, 20);
      // A member's time moves with each add; one whose time has come is dropped as the set is read.
      await cache.addMember('room', 'm0', now + 1_000, 60_000);
      const later = await cache.liveMembers('room', now + 2_000);
      assert.equal(later.length, 19);
      assert.ok(!later.includes('m0'));
      assert.ok(!(await cache.liveMembers('room', now)).includes('m0'), 'gone for good, not just hidden');
      await cache.removeMember('room', 'm1');
      assert.ok(!(await cache.liveMembers('room', now)).includes('m1'));
      assert.deepEqual(await cache.liveMembers('nobody', now), []);
    });

    it('takeMembers hands the live members to exactly one of many concurrent callers', async () => {
      const now = Date.now();
      await cache.addMember('visits', 'a', now + 60_000, 60_000);
      await cache.addMember('visits', 'b', now + 60_000, 60_000);
      await cache.addMember('visits', 'old', now - 1, 60_000);
      const taken = await Promise.all(Array.from({ length: 10 }, () => cache.takeMembers('visits', now)));
      const nonEmpty = taken.filter((t) => t.length > 0);
      assert.equal(nonEmpty.length, 1);
      assert.deepEqual([...nonEmpty[0]!].sort(), ['a', 'b']);
      assert.deepEqual(await cache.liveMembers('visits', now), []);
    });

    it('an expiring-member set goes when its own time to live passes without an add', async () => {
      const now = Date.now();
      await cache.addMember('brief', 'x', now + 60_000, 400);
      assert.deepEqual(await cache.liveMembers('brief', now), ['x']);
      await sleep(900);
      assert.deepEqual(await cache.liveMembers('brief', Date.now()), []);
    });

    it('keeps unicode values intact', async () => {
      await cache.set('u', 'héllo 👋', 10_000);
      assert.equal(await cache.get('u'), 'héllo 👋');
    });
  });
}

describe('MemoryCache with an injected clock', () => {
  it('expires by the clock, without sleeping', async () => {
    let t = 1_000;
    const cache = new MemoryCache(() => t);
    await cache.set('k', 'v', 300_000);
    t += 299_999;
    assert.equal(await cache.get('k'), 'v');
    t += 1;
    assert.equal(await cache.get('k'), null);
    await cache.close();
  });
});

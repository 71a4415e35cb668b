// The presence store over both Caches (memory, real Redis): members who arrive in the same instant all
// stay listed. Its indexes were JSON lists read, changed and written back, and two arrivals at once kept
// only the one written last (README, Presence).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { Cache } from '../src/cache/cache.ts';
import { MemoryCache } from '../src/cache/memory-cache.ts';
import { RedisCache } from '../src/cache/redis-cache.ts';
import { DEFAULT_PRESENCE_TIMINGS, type PresenceEntry, PresenceStore } from '../src/inbox/presence-store.ts';
import { REDIS_URL } from './support/databases.ts';

const caches: Array<[string, () => Cache]> = [
  ['memory', () => new MemoryCache()],
  ['redis', () => RedisCache.connect(REDIS_URL, `parley-test-${randomBytes(4).toString('hex')}:`)],
];

const entry = (userId: string, now: number, session = `s-${userId}`): PresenceEntry => ({
  userId,
  name: userId.toUpperCase(),
  sessionKey: session,
  since: now,
  viewingUntil: now + DEFAULT_PRESENCE_TIMINGS.viewingMs,
  typingUntil: 0,
});

for (const [name, make] of caches) {
  describe(`presence store on the ${name} cache`, () => {
    const cache = make();
    const store = new PresenceStore(cache, DEFAULT_PRESENCE_TIMINGS);
    after(() => cache.close());

    it('twenty members arriving at once are all listed, and one session’s conversations all recalled', async () => {
      const now = Date.now();
      const users = Array.from({ length: 20 }, (_, i) => `u${i}`);
      await Promise.all(users.map((u) => store.put('org', 'conv', entry(u, now), now)));
      const listed = await store.list('org', 'conv', now);
      assert.deepEqual(listed.map((e) => e.userId).sort(), [...users].sort());

      const convs = Array.from({ length: 10 }, (_, i) => `c${i}`);
      await Promise.all(convs.map((c) => store.put('org', c, entry('ana', now, 'tab-1'), now)));
      const taken = await store.takeSession('tab-1', now);
      assert.deepEqual(taken.map((t) => t.conv).sort(), [...convs].sort());
      assert.deepEqual(await store.takeSession('tab-1', now), [], 'taken once');
    });

    it('a member who left, or whose viewing ran out, is not listed', async () => {
      const now = Date.now();
      await store.put('org', 'quiet', entry('bo', now), now);
      await store.put('org', 'quiet', entry('cy', now), now);
      await store.remove('org', 'quiet', 'bo');
      assert.deepEqual(
        (await store.list('org', 'quiet', now)).map((e) => e.userId),
        ['cy'],
      );
      assert.deepEqual(await store.list('org', 'quiet', now + DEFAULT_PRESENCE_TIMINGS.viewingMs + 1), []);
    });
  });
}

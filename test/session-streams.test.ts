// Live streams end with their session (issue 11, item 4; CONTRACT §3 "sessions and live streams end at
// once"): logging out ends every GET /api/events stream of that session at once, on whichever instance
// it is open (the order rides the live bus: in memory, or Redis across instances), and one session keeps
// at most 5 streams — a 6th ends the oldest instead of being refused.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { type App, buildAppWithFeatures } from '../src/app.ts';
import { type Harness, startHarness } from './support/app-harness.ts';
import { DATABASE_KINDS, REDIS_URL } from './support/databases.ts';
import { Browser, signup } from './support/http-client.ts';
import { cookieHeader, SseStream } from './support/sse-client.ts';

async function openStream(url: string, browser: Browser): Promise<SseStream> {
  const stream = await SseStream.open(`${url}/api/events`, cookieHeader(browser.cookies));
  assert.equal(stream.status, 200);
  await stream.connected();
  return stream;
}

describe('logout on instance A ends the session’s stream on instance B (PostgreSQL + Redis)', () => {
  let h: Harness;
  let b: App;
  let redisB: Redis;
  let urlB: string;
  before(async () => {
    h = await startHarness({ db: 'postgres', redis: true });
    // Instance B: the same database, configuration and cache, its own Redis connections and live bus.
    redisB = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    b = await buildAppWithFeatures({ ...h.deps, redis: redisB });
    await b.app.listen({ port: 0, host: '127.0.0.1' });
    urlB = `http://127.0.0.1:${(b.app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await b.app.close();
    await redisB.quit();
    await h.close();
  });

  it('the stream on B ends within a second; its reconnect is refused; another session’s stream lives on', async () => {
    const browser = new Browser(h.url);
    await signup(browser, 'Stream Org');
    // A second session of the same user (another browser): it must not be ended.
    const me = await browser.get<{ user: { email: string } }>('/api/auth/me');
    const other = new Browser(h.url);
    assert.equal(
      (await other.post('/api/auth/login', { email: me.body.user.email, password: 'correct horse battery' }))
        .status,
      200,
    );
    const stream = await openStream(urlB, browser);
    const otherStream = await openStream(urlB, other);
    try {
      const started = Date.now();
      assert.equal((await browser.post('/api/auth/logout')).status, 204);
      assert.ok(await stream.endsWithin(1_000), 'the stream on B ended within 1 s of the logout on A');
      assert.ok(stream.endedByServer);
      console.log(`# stream on B ended ${Date.now() - started} ms after the logout request on A was sent`);
      const again = await SseStream.open(`${urlB}/api/events`, cookieHeader(browser.cookies));
      assert.equal(again.status, 401, 'the old cookie no longer opens a stream');
      assert.equal(await otherStream.endsWithin(300), false, "the user's other session keeps its stream");
    } finally {
      stream.close();
      otherStream.close();
    }
  });
});

for (const db of DATABASE_KINDS) {
  describe(`streams of one session on ${db} (memory bus)`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ db });
    });
    after(() => h.close());

    it('logout ends the session’s streams at once', async () => {
      const browser = new Browser(h.url);
      await signup(browser);
      const streams = [await openStream(h.url, browser), await openStream(h.url, browser)];
      try {
        assert.equal((await browser.post('/api/auth/logout')).status, 204);
        for (const s of streams) assert.ok(await s.endsWithin(1_000), 'ended');
      } finally {
        for (const s of streams) s.close();
      }
    });

    it('the 6th stream of one session ends the 1st; the 2nd–6th stay open', async () => {
      const browser = new Browser(h.url);
      await signup(browser);
      const streams: SseStream[] = [];
      try {
        for (let i = 0; i < 5; i++) streams.push(await openStream(h.url, browser));
        assert.equal(await streams[0]!.endsWithin(200), false, 'five are allowed');
        streams.push(await openStream(h.url, browser));
        assert.ok(await streams[0]!.endsWithin(1_000), 'the oldest ended');
        assert.ok(streams[0]!.endedByServer);
        for (const s of streams.slice(1)) assert.equal(await s.endsWithin(100), false, 'the others live');
      } finally {
        for (const s of streams) s.close();
      }
    });
  });
}

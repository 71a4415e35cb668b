// R29: the Graph client reads Meta's usage headers and slows down before the limit — per Page for
// X-Business-Use-Case-Usage (one busy Page must not slow every tenant), process-wide for X-App-Usage.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pageToken, startTestEmulator, type TestEmulator, userToken } from '../emulator/test/harness.ts';
import { GraphClient } from '../src/meta/graph-client.ts';
import { pageInstagram } from '../src/meta/pages.ts';
import { parseUsage, pauseFor } from '../src/meta/usage-headers.ts';

describe('usage headers', () => {
  it('reads the highest percentage from X-App-Usage', () => {
    const u = parseUsage(
      new Headers({ 'x-app-usage': '{"call_count":12,"total_cputime":85,"total_time":40}' }),
    );
    assert.deepEqual(u?.app, { maxPercent: 85, regainMs: 0 });
    assert.equal(u?.objects.size, 0);
  });
  it('reads X-Business-Use-Case-Usage by business object, including the time to regain access', () => {
    const u = parseUsage(
      new Headers({
        'x-business-use-case-usage':
          '{"106378625516323":[{"type":"messenger","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":3}],' +
          '"2":[{"type":"pages","call_count":5,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":0}]}',
      }),
    );
    assert.equal(u?.app, null);
    assert.deepEqual(u?.objects.get('106378625516323'), { maxPercent: 100, regainMs: 180_000 });
    assert.deepEqual(u?.objects.get('2'), { maxPercent: 5, regainMs: 0 });
  });
  it('ignores absent or malformed headers', () => {
    assert.equal(parseUsage(new Headers()), null);
    assert.equal(parseUsage(new Headers({ 'x-app-usage': 'not json' })), null);
  });
  it('pauses nothing below 90%, more as usage nears 100%, bounded by the cap', () => {
    assert.equal(pauseFor({ maxPercent: 89, regainMs: 0 }, 2000), 0);
    assert.equal(pauseFor({ maxPercent: 95, regainMs: 0 }, 2000), 1000);
    assert.equal(pauseFor({ maxPercent: 100, regainMs: 0 }, 2000), 2000);
    assert.equal(pauseFor({ maxPercent: 10, regainMs: 600_000 }, 2000), 2000);
  });
});

describe('the Graph client throttles per Page for BUC, for everyone for X-App-Usage (R29)', () => {
  let t: TestEmulator;
  let client: GraphClient;
  let pageA: { id: string; token: string };
  let pageB: { id: string; token: string };
  /** Every wait the client asked for: the injectable sleep records instead of sleeping. */
  const waits: number[] = [];
  before(async () => {
    t = await startTestEmulator();
    client = new GraphClient({
      graphUrl: t.emu.url,
      apiVersion: 'v27.0',
      appId: t.emu.appId,
      appSecret: t.emu.appSecret,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  });
  after(() => t.emu.close());
  beforeEach(async () => {
    await t.client.reset();
    const state = await t.client.state();
    const [a, b] = state.personas.find((p) => p.key === 'three')!.pages;
    const user = await userToken(t, 'three');
    pageA = { id: a!.id, token: await pageToken(t, user, a!.id) };
    pageB = { id: b!.id, token: await pageToken(t, user, b!.id) };
    // Let any pause left by the previous test's headers run out.
    await new Promise((r) => setTimeout(r, 2_100));
    waits.length = 0;
  });

  it('Page A at 100% with time to regain access: the next call for A waits, a call for B does not', async () => {
    await t.client.setUsage({ page_id: pageA.id, percent: 100, estimated_time_to_regain_access: 1 });
    await pageInstagram(client, pageA.id, pageA.token); // Meta tells us A is throttled
    waits.length = 0;
    const started = Date.now();
    await pageInstagram(client, pageB.id, pageB.token);
    assert.deepEqual(waits, [], 'a call for Page B proceeds at once');
    assert.ok(Date.now() - started < 1_000);
    await pageInstagram(client, pageA.id, pageA.token);
    assert.ok(waits.length >= 1, 'a call for Page A waits');
    assert.ok(waits[0]! > 1_500 && waits[0]! <= 2_000, `waited ${waits[0]} ms (capped at 2 s)`);
  });

  it('X-App-Usage at 100% pauses every call, whatever Page it concerns', async () => {
    await t.client.setUsage({ percent: 100 });
    await pageInstagram(client, pageA.id, pageA.token);
    waits.length = 0;
    await pageInstagram(client, pageB.id, pageB.token);
    assert.ok(waits.length >= 1, 'a call for Page B waits too');
    assert.ok(waits[0]! > 1_500, `waited ${waits[0]} ms`);
  });
});

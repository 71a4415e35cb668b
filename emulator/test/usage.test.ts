// Pinned usage headers (POST /_emulator/usage): X-App-Usage for every call, or one Page's
// X-Business-Use-Case-Usage entry with an estimated_time_to_regain_access — what an app needs to
// test that it throttles per Page and per app (reference §12).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pageToken, startTestEmulator, type TestEmulator, userToken } from './harness.ts';

describe('usage headers', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator();
  });
  after(() => t.emu.close());

  it('pins one Page’s BUC entry, leaves other Pages modelled, and pins X-App-Usage for all', async () => {
    const state = await t.client.state();
    const [a, b] = state.personas.find((p) => p.key === 'three')!.pages;
    const user = await userToken(t, 'three');
    const tokenA = await pageToken(t, user, a!.id);
    const tokenB = await pageToken(t, user, b!.id);
    await t.client.setUsage({ page_id: a!.id, percent: 100, estimated_time_to_regain_access: 7 });
    const resA = await t.graph.get(a!.id, tokenA, { fields: 'id' }, { bearer: true });
    assert.equal(resA.status, 200, resA.text);
    const buc = JSON.parse(resA.headers.get('x-business-use-case-usage')!);
    assert.equal(buc[a!.id][0].call_count, 100);
    assert.equal(buc[a!.id][0].estimated_time_to_regain_access, 7);
    const resB = await t.graph.get(b!.id, tokenB, { fields: 'id' }, { bearer: true });
    const bucB = JSON.parse(resB.headers.get('x-business-use-case-usage')!);
    assert.ok(bucB[b!.id][0].call_count < 100);
    assert.equal(bucB[b!.id][0].estimated_time_to_regain_access, 0);

    await t.client.setUsage({ percent: 100 });
    const app = JSON.parse((await t.graph.get('me/accounts', user)).headers.get('x-app-usage')!);
    assert.deepEqual(app, { call_count: 100, total_cputime: 100, total_time: 100 });
    await t.client.reset();
    const modelled = JSON.parse(
      (await t.graph.get(a!.id, tokenA, { fields: 'id' })).headers.get('x-app-usage')!,
    );
    assert.ok(modelled.call_count < 100, 'reset unpins');
  });
});

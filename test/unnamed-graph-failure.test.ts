// The last line of the error mapping (app.ts): a Graph failure that no service turned into a named
// error is still Meta's, so it is a 502 `meta_unavailable` in Parley's words, never a 500 "Something
// went wrong on our side" nor Meta's own message (which can name internals); any other unknown error is
// still a 500. Routes added to a real app for the test only; nothing is mocked.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildAppWithFeatures } from '../src/app.ts';
import { GraphApiError, GraphResponseError, GraphTransportError } from '../src/meta/graph-errors.ts';
import { type Harness, startHarness } from './support/app-harness.ts';

describe('a Graph failure no service named', () => {
  let h: Harness;
  let built: App;
  before(async () => {
    h = await startHarness({ db: 'sqlite' });
    built = await buildAppWithFeatures(h.deps);
    const thrown: Record<string, () => Error> = {
      api: () =>
        new GraphApiError(500, 2, null, 'OAuthException', 'trace-1', '(#2) internal host db-17 down'),
      transport: () => new GraphTransportError('timeout', new Error('ETIMEDOUT 10.0.0.7')),
      response: () => new GraphResponseError(200, 'not JSON'),
      ours: () => new TypeError('a bug of ours'),
    };
    for (const [name, make] of Object.entries(thrown)) {
      built.app.get(`/test-only/throw/${name}`, async () => {
        throw make();
      });
    }
  });
  after(async () => {
    await built.app.close();
    await h.close();
  });

  it('is a 502 meta_unavailable in our words; a bug of ours stays a 500', async () => {
    for (const name of ['api', 'transport', 'response']) {
      const res = await built.app.inject({ method: 'GET', url: `/test-only/throw/${name}` });
      assert.equal(res.statusCode, 502, name);
      assert.deepEqual(res.json(), {
        error: {
          code: 'meta_unavailable',
          message: 'Meta could not complete this request; try again in a moment',
        },
      });
    }
    const ours = await built.app.inject({ method: 'GET', url: '/test-only/throw/ours' });
    assert.equal(ours.statusCode, 500);
    assert.equal(ours.json().error.code, 'internal_error');
  });
});

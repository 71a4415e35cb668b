// R29: the Graph client reads Meta's usage headers and slows down before the limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUsage, pauseFor } from '../src/meta/usage-headers.ts';

describe('usage headers', () => {
  it('reads the highest percentage from X-App-Usage', () => {
    const u = parseUsage(
      new Headers({ 'x-app-usage': '{"call_count":12,"total_cputime":85,"total_time":40}' }),
    );
    assert.deepEqual(u, { maxPercent: 85, regainMs: 0 });
  });
  it('reads X-Business-Use-Case-Usage, including the time to regain access', () => {
    const u = parseUsage(
      new Headers({
        'x-business-use-case-usage':
          '{"106378625516323":[{"type":"messenger","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":3}]}',
      }),
    );
    assert.deepEqual(u, { maxPercent: 100, regainMs: 180_000 });
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

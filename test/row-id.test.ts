// Row ids (src/storage/row-id.ts): UUIDv7 made from a pool of random bytes, with the clock and counter
// kept by Parley. What the tables rely on: every id unique, and ids sorted in the order they were made
// (each primary-key index grows at its end), also many within one millisecond.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate, version } from 'uuid';
import { newRowId } from '../src/storage/row-id.ts';

describe('newRowId', () => {
  it('makes valid version-7 UUIDs, unique and in the order made (20,000 ids, several pool refills)', () => {
    const ids = Array.from({ length: 20_000 }, newRowId);
    for (const id of ids.slice(0, 50)) {
      assert.ok(validate(id), id);
      assert.equal(version(id), 7);
    }
    assert.equal(new Set(ids).size, ids.length);
    const sorted = [...ids].sort();
    assert.deepEqual(sorted, ids, 'ids sort in the order they were made');
  });

  it('carries the time it was made in its first 48 bits', () => {
    const before = Date.now();
    const id = newRowId();
    const after = Date.now();
    const ms = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    // The counter may borrow a millisecond ahead when it wraps; never more than a few.
    assert.ok(ms >= before && ms <= after + 5, `${ms} not within ${before}–${after}`);
  });

  it('does not repeat its random part between ids (the pool is consumed, not reused)', () => {
    const tails = new Set(Array.from({ length: 5_000 }, () => newRowId().slice(-12)));
    assert.equal(tails.size, 5_000);
  });
});

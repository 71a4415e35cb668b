// The durability soak's checker (bench/soak-check.ts), on hand-made ledgers and stored rows: it must
// find each kind of failure it exists to find, or a clean soak proves nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSoak } from '../bench/soak-check.ts';

const stored = (entries: Array<[string, number]>) => new Map(entries);

describe('soak checker', () => {
  it('a clean run: every event acknowledged and stored once counts nothing lost, duplicated or falsely acknowledged', () => {
    const v = checkSoak(
      [
        { mids: ['a'], acks: 3 },
        { mids: ['b', 'c'], acks: 3 },
      ],
      stored([
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ]),
    );
    assert.deepEqual(v, {
      events: 3,
      ackedEvents: 3,
      neverAcked: 0,
      storedEvents: 3,
      lost: 0,
      duplicated: 0,
      unexpected: 0,
      false2xx: 0,
    });
  });

  it('an acknowledged event missing from a batch is lost, and every 2xx of that delivery is a false 2xx (R38)', () => {
    const v = checkSoak(
      [
        { mids: ['a'], acks: 3 },
        { mids: ['b', 'c', 'd'], acks: 2 },
      ],
      stored([
        ['a', 1],
        ['b', 1],
        ['d', 1],
      ]),
    );
    assert.equal(v.lost, 1);
    assert.equal(v.false2xx, 2);
    assert.equal(v.storedEvents, 3);
  });

  it('a mid stored twice is a duplicate, and a stored mid never sent is unexpected', () => {
    const v = checkSoak(
      [{ mids: ['a', 'b'], acks: 1 }],
      stored([
        ['a', 2],
        ['b', 1],
        ['zz', 1],
      ]),
    );
    assert.equal(v.duplicated, 1);
    assert.equal(v.unexpected, 1);
    assert.equal(v.lost, 0);
    assert.equal(v.storedEvents, 2);
  });

  it('an event never acknowledged is reported, not counted lost or false, whether stored or not', () => {
    const v = checkSoak(
      [
        { mids: ['a'], acks: 0 },
        { mids: ['b'], acks: 0 },
        { mids: ['c'], acks: 1 },
      ],
      stored([
        ['b', 1],
        ['c', 1],
      ]),
    );
    assert.equal(v.neverAcked, 2);
    assert.equal(v.ackedEvents, 1);
    assert.equal(v.lost, 0);
    assert.equal(v.false2xx, 0);
  });

  it('a row count of 0 is not a stored message', () => {
    const v = checkSoak([{ mids: ['a'], acks: 1 }], stored([['a', 0]]));
    assert.equal(v.lost, 1);
    assert.equal(v.false2xx, 1);
    assert.equal(v.storedEvents, 0);
  });
});

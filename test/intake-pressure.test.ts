// When the webhook processor steps back for the receiver (issue 15): inline after a few deliveries in
// one turn; in a processor thread only while the receiver commits faster than the given rate, so a
// steady 1,000 deliveries/s is processed at full speed and a burst leaves the cores to the acks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntakePressure } from '../src/webhooks/intake-pressure.ts';

describe('IntakePressure', () => {
  it('inline: ten deliveries committed during one turn is busy, whatever the turn lasted', () => {
    const p = new IntakePressure(undefined, 0, 0);
    assert.equal(p.busy(9, 20), false);
    assert.equal(p.busy(19, 1020), true, '10 more in a 1 s turn');
    assert.equal(p.busy(19, 1040), false, 'none since the last turn');
  });

  it('thread: 1,000 deliveries/s through 300 ms transactions is not busy; 5,000/s is', () => {
    const p = new IntakePressure(2000, 0, 0);
    let stored = 0;
    let t = 0;
    for (let turn = 0; turn < 5; turn++) {
      stored += 300;
      t += 300;
      assert.equal(p.busy(stored, t), false, `1,000/s, turn ${turn}`);
    }
    for (let turn = 0; turn < 5; turn++) {
      stored += 1500;
      t += 300;
      assert.equal(p.busy(stored, t), true, `5,000/s, turn ${turn}`);
    }
    assert.equal(p.busy(stored + 5, t + 1), false, 'fewer than ten since the last turn');
  });
});
